package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * A body past the server's own limit ({@code micronaut.server.max-request-size}, which bounds
 * compressed bodies before ingest inflates them) is refused before any route runs, in Micronaut's
 * error shape. On the ingest routes this answers it as ingest's 413 {@code payload_too_large}
 * instead (Stripe's shape on the Stripe route); on any other route of the context it answers as
 * Micronaut's handler it replaces would.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(classes = {ContentLengthExceededException.class, ExceptionHandler.class})
public final class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {

    private final IngestExceptionHandler ingest;
    private final ContentLengthExceededHandler others;
    private final IngestSettings settings;

    public BodyTooLargeHandler(
            IngestExceptionHandler ingest, ErrorResponseProcessor<?> errorResponses, IngestSettings settings) {
        this.ingest = ingest;
        this.others = new ContentLengthExceededHandler(errorResponses);
        this.settings = settings;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
        String path = request.getPath();
        if (!path.equals(EventsController.PATH) && !path.equals(MeterEventsController.PATH)) {
            return others.handle(request, exception);
        }
        return ingest.handle(
                request,
                new IngestException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "the body may be at most " + settings.maxBodyBytes() + " bytes (after decompression)"));
    }
}
