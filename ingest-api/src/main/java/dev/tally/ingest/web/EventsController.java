package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.ingest.auth.Authenticator;
import dev.tally.ingest.event.EventReader;
import dev.tally.ingest.event.EventShape;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.intake.EventResult;
import dev.tally.ingest.intake.IngestMetrics;
import dev.tally.ingest.intake.Intake;
import dev.tally.ingest.meter.MeterRules;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/events}: one event or a batch, as JSON, NDJSON or CloudEvents, optionally
 * gzipped. Authenticates the key, reads and checks every event, sends the valid ones and answers
 * once the broker acknowledged them. Runs on the event loop and never blocks it: the answer is
 * completed by the producer's callbacks.
 *
 * <ul>
 *   <li>{@code application/json} with one object: 202 {@code {"id":...,"status":"accepted"|"duplicate"}},
 *       or the error of that event;
 *   <li>{@code application/json} with an array, {@code application/x-ndjson}, or
 *       {@code application/cloudevents-batch+json}: one result per event, see {@link BatchAnswer};
 *   <li>{@code application/cloudevents+json}: one CloudEvent, answered like a single event.
 * </ul>
 *
 * {@code ?atomic=true} makes a batch all-or-nothing: if any event is rejected, none is written.
 */
@Controller
public class EventsController {

    /** The route. */
    static final String PATH = "/v1/events";

    static final String NDJSON = "application/x-ndjson";
    static final String CLOUDEVENT = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";
    /** The query parameter that makes a batch all-or-nothing. */
    static final String ATOMIC = "atomic";

    private final Authenticator authenticator;
    private final EventReader reader;
    private final MeterRules meters;
    private final Intake intake;
    private final IngestMetrics metrics;
    private final IngestSettings settings;

    public EventsController(
            Authenticator authenticator,
            EventReader reader,
            MeterRules meters,
            Intake intake,
            IngestMetrics metrics,
            IngestSettings settings) {
        this.authenticator = authenticator;
        this.reader = reader;
        this.meters = meters;
        this.intake = intake;
        this.metrics = metrics;
        this.settings = settings;
    }

    private enum Format {
        JSON,
        NDJSON,
        CLOUDEVENT,
        CLOUDEVENTS_BATCH
    }

    /**
     * Accepts one event or a batch. Headers and the {@code atomic} query parameter are read from the
     * request rather than bound as arguments: binding them costs more per request than reading the
     * event, and {@code atomic} only matters for batches.
     */
    // Answers JSON whatever the Accept header says: a 406 would come in the server's error shape
    // and leave the client without the event's result.
    @Post(
            uri = PATH,
            consumes = MediaType.ALL,
            produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public CompletableFuture<HttpResponse<?>> post(HttpRequest<?> request, @Nullable @Body byte[] body) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        HttpHeaders headers = request.getHeaders();
        CompletionStage<HttpResponse<?>> answer;
        try {
            answer = authenticator
                    .authenticate(headers.get(HttpHeaders.AUTHORIZATION))
                    .thenCompose(principal -> {
                        Format format = format(headers.get(HttpHeaders.CONTENT_TYPE));
                        byte[] events = RequestBody.of(
                                body, headers.get(HttpHeaders.CONTENT_ENCODING), settings.maxBodyBytes());
                        return accept(principal, format, events, request, now);
                    });
        } catch (IngestException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answered(answer, started);
    }

    private CompletionStage<HttpResponse<?>> accept(
            ApiKeyPrincipal principal, Format format, byte[] body, HttpRequest<?> request, Instant now) {
        int max = settings.maxBatchEvents();
        // checked for single events too, where it changes nothing, so that a typo is seen at once
        boolean atomic = atomic(request);
        return switch (format) {
            case JSON ->
                isArray(body)
                        ? batch(principal, reader.readArray(body, EventShape.TALLY, max, now), atomic, now, body)
                        : single(principal, reader.readOne(body, EventShape.TALLY, now), now, body);
            case NDJSON -> batch(principal, reader.readLines(body, max, now), atomic, now, body);
            case CLOUDEVENT -> single(principal, reader.readOne(body, EventShape.CLOUD_EVENT, now), now, body);
            case CLOUDEVENTS_BATCH ->
                batch(principal, reader.readArray(body, EventShape.CLOUD_EVENT, max, now), atomic, now, body);
        };
    }

    private CompletionStage<HttpResponse<?>> single(
            ApiKeyPrincipal principal, ParsedEvent event, Instant now, byte[] body) {
        if (event instanceof ParsedEvent.Rejected rejected) {
            throw rejected.violation().toException();
        }
        return meters.check(principal, List.of(event))
                .thenCompose(checked -> {
                    if (checked.get(0) instanceof ParsedEvent.Rejected rejected) {
                        throw rejected.violation().toException();
                    }
                    return intake.submit(principal, checked, false, now, body.length);
                })
                .thenApply(results -> {
                    EventResult result = results.get(0);
                    if (result.status() == EventResult.Status.REJECTED) {
                        ErrorCode code = result.violation().code();
                        throw code.status() == 503
                                ? IngestException.retryable(
                                        code, result.violation().message(), settings.retryAfter(), null)
                                : result.violation().toException();
                    }
                    metrics.record(results);
                    return EventAccepted.response(result.id(), result.status());
                });
    }

    private CompletionStage<HttpResponse<?>> batch(
            ApiKeyPrincipal principal, List<ParsedEvent> events, boolean atomic, Instant now, byte[] body) {
        if (events.isEmpty()) {
            throw new IngestException(ErrorCode.EMPTY_BATCH, "the request holds no event");
        }
        return meters.check(principal, events)
                .thenCompose(checked -> intake.submit(principal, checked, atomic, now, body.length))
                .thenApply(results -> {
                    metrics.record(results);
                    return BatchAnswer.of(results, settings.retryAfter());
                });
    }

    /**
     * {@code ?atomic=}: exactly {@code true} or {@code false}, once. Anything else is refused rather
     * than read as false: {@code atomic=1} once ran a batch the client meant all-or-nothing event by event.
     */
    private static boolean atomic(HttpRequest<?> request) {
        List<String> values = request.getParameters().getAll(ATOMIC);
        if (values.isEmpty()) {
            return false;
        }
        if (values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"))) {
            return values.get(0).equals("true");
        }
        throw new IngestException(ErrorCode.INVALID_PARAMETER, "atomic must be true or false, given once", ATOMIC);
    }

    private static Format format(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Format.JSON;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        return switch (type) {
            case MediaType.APPLICATION_JSON -> Format.JSON;
            case NDJSON, "application/ndjson", "application/jsonl", "application/x-jsonlines" -> Format.NDJSON;
            case CLOUDEVENT -> Format.CLOUDEVENT;
            case CLOUDEVENTS_BATCH -> Format.CLOUDEVENTS_BATCH;
            default ->
                throw new IngestException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Type must be application/json, " + NDJSON + ", " + CLOUDEVENT + " or "
                                + CLOUDEVENTS_BATCH + ", not " + type);
        };
    }

    /** Whether the JSON body is an array; a UTF-8 byte order mark before it is skipped, as the parser skips it. */
    private static boolean isArray(byte[] body) {
        int start =
                body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF ? 3 : 0;
        for (int i = start; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '[';
            }
        }
        return false;
    }

    /**
     * The answer, measured; a failure is passed on as thrown, not wrapped in a CompletionException,
     * so that the exception handler sees the IngestException.
     */
    private <T> CompletableFuture<T> answered(CompletionStage<T> stage, long started) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            metrics.requestTook(System.nanoTime() - started);
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof IngestException refused) {
                metrics.rejected(refused.code());
            }
            result.completeExceptionally(cause);
        });
        return result;
    }
}
