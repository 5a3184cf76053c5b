package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Maps every {@link BillingException} to its status and the JSON error body: the module's one
 * mapping. The message is the exception's own, written by this module for the client; exceptions
 * of other kinds are left to the platform's fallback handler, which shows no exception text.
 */
@Produces
@Singleton
@Requires(classes = {BillingException.class, ExceptionHandler.class})
public final class BillingExceptionHandler implements ExceptionHandler<BillingException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, BillingException exception) {
        return response(exception);
    }

    /** The answer to {@code exception}, also for filters that refuse a request before it is routed. */
    static HttpResponse<ErrorBody> response(BillingException exception) {
        ErrorBody body = new ErrorBody(new ErrorBody.Error(
                exception.code().code(),
                exception.getMessage(),
                exception.field().orElse(null),
                exception.status().orElse(null)));
        return HttpResponse.<ErrorBody>status(
                        HttpStatus.valueOf(exception.code().status()))
                .body(body);
    }
}
