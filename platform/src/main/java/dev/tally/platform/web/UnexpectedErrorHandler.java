package dev.tally.platform.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last word on every HTTP surface: an exception that no more specific handler answers
 * becomes a 500 in the documented error shape, {@code {"error":{"code":"internal_error",
 * "message":…,"request_id":…}}}, and nothing else. The exception's text never reaches the
 * client (it has held SQL statements with their bound values, and a new key's hash); it goes to
 * the log under the same request id, so an operator can find it from what the client reports.
 *
 * <p>One bean in {@code platform}, picked up by every service, so the services of one JVM (the
 * local launcher) share it instead of competing with copies.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public final class UnexpectedErrorHandler implements ExceptionHandler<Throwable, HttpResponse<?>> {

    /** The code of every unexpected failure. */
    public static final String CODE = "internal_error";

    static final String MESSAGE = "an unexpected error occurred; quote the request_id when reporting it";

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, Throwable exception) {
        String requestId = newRequestId();
        LOG.error("request {} {} {} failed", requestId, request.getMethodName(), request.getPath(), exception);
        return HttpResponse.serverError(
                        Map.of("error", Map.of("code", CODE, "message", MESSAGE, "request_id", requestId)))
                .header(REQUEST_ID_HEADER, requestId);
    }

    /** Header that carries the request id of a failed request. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static String newRequestId() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }
}
