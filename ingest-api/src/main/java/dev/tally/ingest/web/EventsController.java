package dev.tally.ingest.web;

import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.ingest.auth.Authenticator;
import dev.tally.ingest.event.EventIds;
import dev.tally.ingest.event.EventInput;
import dev.tally.ingest.event.EventReader;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.event.UsageEvents;
import dev.tally.ingest.publish.EventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/events}: authenticates the key, reads and checks the event, sends it, and answers
 * 202 once the broker acknowledged it. Runs on the event loop and never blocks it: the answer is
 * completed by the producer's callback.
 */
@Controller
public class EventsController {

    private final Authenticator authenticator;
    private final EventReader reader;
    private final EventPublisher publisher;

    public EventsController(Authenticator authenticator, EventReader reader, EventPublisher publisher) {
        this.authenticator = authenticator;
        this.reader = reader;
        this.publisher = publisher;
    }

    /** Accepts one event. */
    @Post(uri = "/v1/events", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<EventAccepted>> post(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Nullable @Body byte[] body) {
        Instant now = Instant.now();
        CompletionStage<HttpResponse<EventAccepted>> answer = authenticator
                .authenticate(authorization)
                .thenCompose(principal -> accept(principal, body == null ? new byte[0] : body, now));
        return unwrapped(answer);
    }

    private CompletionStage<HttpResponse<EventAccepted>> accept(ApiKeyPrincipal principal, byte[] body, Instant now) {
        ParsedEvent parsed = reader.readOne(body, now);
        if (parsed instanceof ParsedEvent.Rejected rejected) {
            throw rejected.violation().toException();
        }
        EventInput input = ((ParsedEvent.Valid) parsed).event();
        String id = input.id() != null ? input.id() : EventIds.next();
        return publisher
                .publish(UsageEvents.of(input, id, principal, now), body.length)
                .thenApply(acknowledged -> HttpResponse.accepted().body(EventAccepted.of(id)));
    }

    /** The stage's failure as thrown, not wrapped, so that the exception handler sees the IngestException. */
    private static <T> CompletableFuture<T> unwrapped(CompletionStage<T> stage) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure);
            }
        });
        return result;
    }
}
