package dev.tally.metering.query;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The one place metering's API errors become HTTP answers. */
@Produces
@Singleton
@Requires(classes = {MeteringException.class, ExceptionHandler.class})
public final class MeteringExceptionHandler implements ExceptionHandler<MeteringException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, MeteringException exception) {
        return HttpResponse.<ErrorBody>status(
                        HttpStatus.valueOf(exception.code().status()))
                .body(ErrorBody.of(exception));
    }
}
