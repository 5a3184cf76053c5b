package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

/**
 * A body that claims gzip but is not fails in Netty before any route runs; this turns that failure
 * into the ingest API's {@code invalid_gzip} and lets {@link IngestExceptionHandler} answer it.
 */
@Produces
@Singleton
@Requires(classes = {DecompressionException.class, ExceptionHandler.class})
public final class GzipErrorHandler implements ExceptionHandler<DecompressionException, HttpResponse<?>> {

    private final IngestExceptionHandler handler;

    public GzipErrorHandler(IngestExceptionHandler handler) {
        this.handler = handler;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DecompressionException exception) {
        return handler.handle(request, new IngestException(ErrorCode.INVALID_GZIP, "the body is not valid gzip"));
    }
}
