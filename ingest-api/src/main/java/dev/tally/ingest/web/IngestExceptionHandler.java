package dev.tally.ingest.web;

import dev.tally.ingest.IngestException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The one place the ingest API's errors become HTTP answers: {@code {"error":{"code","message","field"}}}
 * with the code's status and, for errors worth retrying, Retry-After. On the Stripe-compatible route
 * the body takes Stripe's error shape instead ({@code {"error":{"type","code","message","param"}}}),
 * so that Stripe's clients read it.
 */
@Produces
@Singleton
@Requires(classes = {IngestException.class, ExceptionHandler.class})
public final class IngestExceptionHandler implements ExceptionHandler<IngestException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, IngestException exception) {
        HttpStatus status = HttpStatus.valueOf(exception.code().status());
        MutableHttpResponse<?> response = request.getPath().equals(MeterEventsController.PATH)
                ? HttpResponse.status(status).body(StripeError.of(exception))
                : HttpResponse.status(status).body(ErrorBody.of(exception));
        if (exception.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(exception.retryAfter())));
        }
        return response;
    }

    /** Retry-After counts whole seconds; round up so clients never retry too early. */
    private static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
