package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.Authenticator;
import dev.tally.ingest.event.EventInput;
import dev.tally.ingest.event.FormFields;
import dev.tally.ingest.event.MeterEventForm;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.event.Violation;
import dev.tally.ingest.intake.EventResult;
import dev.tally.ingest.intake.IngestMetrics;
import dev.tally.ingest.intake.Intake;
import dev.tally.ingest.meter.MeterRules;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Stripe-compatible {@code POST /v1/billing/meter_events}: a client written for Stripe's meter
 * events works by changing its base URL and key. Answers 200 with the event in Stripe's shape once
 * the broker acknowledged it; errors come in Stripe's error shape (see {@link IngestExceptionHandler}).
 */
@Controller
public class MeterEventsController {

    /** The route, also used by the exception handler to answer in Stripe's error shape. */
    static final String PATH = "/v1/billing/meter_events";

    private final Authenticator authenticator;
    private final MeterEventForm form;
    private final MeterRules meters;
    private final Intake intake;
    private final IngestMetrics metrics;
    private final IngestSettings settings;

    public MeterEventsController(
            Authenticator authenticator,
            MeterEventForm form,
            MeterRules meters,
            Intake intake,
            IngestMetrics metrics,
            IngestSettings settings) {
        this.authenticator = authenticator;
        this.form = form;
        this.meters = meters;
        this.intake = intake;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Accepts one meter event. */
    // Answers JSON whatever the Accept header says: a 406 would come in the server's error shape
    // and leave the client without the event's result.
    @Post(
            uri = PATH,
            consumes = MediaType.ALL,
            produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public CompletableFuture<HttpResponse<MeterEvent>> post(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @Nullable @Body byte[] body) {
        Instant now = Instant.now();
        CompletableFuture<HttpResponse<MeterEvent>> answer = new CompletableFuture<>();
        try {
            authenticator
                    .authenticate(authorization)
                    .thenCompose(principal -> {
                        // Stripe's own limit is 5 MiB too; the server's limit alone let 10 MB through
                        byte[] form = RequestBody.of(body, contentEncoding, settings.maxBodyBytes());
                        EventInput input = this.form.read(FormFields.of(form), now);
                        return meters.check(principal, List.of(new ParsedEvent.Valid(input)))
                                .thenCompose(checked -> {
                                    if (checked.get(0) instanceof ParsedEvent.Rejected rejected) {
                                        throw stripeError(rejected.violation(), input);
                                    }
                                    return intake.submit(principal, checked, false, now, form.length);
                                })
                                .thenApply(results -> answer(results, input, principal.livemode(), now));
                    })
                    .whenComplete((response, failure) -> {
                        if (failure == null) {
                            answer.complete(response);
                        } else {
                            fail(
                                    answer,
                                    failure instanceof CompletionException && failure.getCause() != null
                                            ? failure.getCause()
                                            : failure);
                        }
                    });
        } catch (IngestException e) {
            fail(answer, e);
        }
        return answer;
    }

    private HttpResponse<MeterEvent> answer(
            List<EventResult> results, EventInput input, boolean livemode, Instant now) {
        EventResult result = results.get(0);
        if (result.status() == EventResult.Status.REJECTED) {
            ErrorCode code = result.violation().code();
            throw IngestException.retryable(
                    code, result.violation().message(), code.status() == 503 ? settings.retryAfter() : null, null);
        }
        metrics.record(results);
        Map<String, String> payload = new HashMap<>(input.properties());
        payload.put("stripe_customer_id", input.customer());
        payload.put("value", input.quantity().stripTrailingZeros().toPlainString());
        Instant occurredAt = input.occurredAt() == null ? now : input.occurredAt();
        return HttpResponse.ok(new MeterEvent(
                        "billing.meter_event",
                        now.getEpochSecond(),
                        input.feature(),
                        result.id(),
                        livemode,
                        payload,
                        occurredAt.getEpochSecond()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** A meter's refusal as Stripe words it, naming Stripe's parameter. */
    private static IngestException stripeError(Violation violation, EventInput input) {
        if (violation.code() == ErrorCode.UNKNOWN_FEATURE) {
            return new IngestException(
                    ErrorCode.UNKNOWN_FEATURE,
                    "No active meter was found for event_name '" + input.feature() + "'",
                    MeterEventForm.EVENT_NAME);
        }
        return new IngestException(
                violation.code(), violation.message(), MeterEventForm.stripeParam(violation.field()));
    }

    private void fail(CompletableFuture<?> answer, Throwable failure) {
        if (failure instanceof IngestException refused) {
            metrics.rejected(refused.code());
        }
        answer.completeExceptionally(failure);
    }
}
