package dev.tally.ingest.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.event.Violation;
import dev.tally.ingest.intake.EventResult;
import dev.tally.ingest.intake.EventResult.Status;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The one answer to a batch: counts and one result per event, written with Jackson's generator
 * (no data binding on the hot path).
 *
 * <pre>{@code
 * {"accepted":2,"duplicates":1,"rejected":1,
 *  "results":[{"index":0,"id":"a","status":"accepted"},
 *             {"index":1,"id":"b","status":"rejected","error":{"code":"negative_quantity","message":"...","field":"quantity"}},
 *             ...]}
 * }</pre>
 *
 * Status: 202 when no event was rejected; 207 when some were written and some rejected; 400
 * {@code invalid_events} when nothing was written because events were rejected; 503
 * {@code broker_unavailable} (with Retry-After) when the broker failed some events, which the
 * client retries with the same ids; 500 {@code publish_failed} when the broker refused some for good.
 * Error answers also carry the usual {@code "error"} object.
 */
final class BatchAnswer {

    private static final JsonFactory JSON = new JsonFactory();

    private BatchAnswer() {}

    static MutableHttpResponse<byte[]> of(List<EventResult> results, Duration retryAfter) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        ErrorCode brokerFailure = null;
        for (EventResult result : results) {
            switch (result.status()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> {
                    rejected++;
                    ErrorCode code = result.violation().code();
                    if (code.status() >= 500 && brokerFailure != ErrorCode.PUBLISH_FAILED) {
                        brokerFailure = code;
                    }
                }
            }
        }
        ErrorCode error = brokerFailure != null
                ? brokerFailure
                : rejected > 0 && accepted + duplicates == 0 ? ErrorCode.INVALID_EVENTS : null;
        HttpStatus status = error != null
                ? HttpStatus.valueOf(error.status())
                : rejected > 0 ? HttpStatus.MULTI_STATUS : HttpStatus.ACCEPTED;
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(status)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(render(results, accepted, duplicates, rejected, error));
        if (error != null && error.status() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response;
    }

    private static byte[] render(
            List<EventResult> results, int accepted, int duplicates, int rejected, ErrorCode error) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + results.size() * 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (error != null) {
                json.writeObjectFieldStart("error");
                json.writeStringField("code", error.code());
                json.writeStringField("message", message(error, rejected));
                json.writeEndObject();
            }
            json.writeNumberField("accepted", accepted);
            json.writeNumberField("duplicates", duplicates);
            json.writeNumberField("rejected", rejected);
            json.writeArrayFieldStart("results");
            for (EventResult result : results) {
                json.writeStartObject();
                json.writeNumberField("index", result.index());
                if (result.id() != null) {
                    json.writeStringField("id", result.id());
                }
                json.writeStringField("status", result.status().json());
                if (result.status() == Status.REJECTED) {
                    Violation violation = result.violation();
                    json.writeObjectFieldStart("error");
                    json.writeStringField("code", violation.code().code());
                    json.writeStringField("message", violation.message());
                    if (violation.field() != null) {
                        json.writeStringField("field", violation.field());
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String message(ErrorCode error, int rejected) {
        return switch (error) {
            case INVALID_EVENTS -> rejected + " events were rejected and none was written; see results";
            case BROKER_UNAVAILABLE -> "the broker did not acknowledge some events; retry those with the same ids";
            default -> "some events could not be stored; see results";
        };
    }
}
