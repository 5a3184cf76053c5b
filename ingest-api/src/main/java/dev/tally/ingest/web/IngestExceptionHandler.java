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

/** The one place the ingest API's errors become HTTP answers. */
@Produces
@Singleton
@Requires(classes = {IngestException.class, ExceptionHandler.class})
public final class IngestExceptionHandler implements ExceptionHandler<IngestException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, IngestException exception) {
        MutableHttpResponse<ErrorBody> response =
                HttpResponse.<ErrorBody>status(HttpStatus.valueOf(exception.code().status()))
                        .body(ErrorBody.of(exception));
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
