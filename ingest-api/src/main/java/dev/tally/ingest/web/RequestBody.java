package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import java.util.Locale;

/**
 * A request body as events are read from it. Micronaut's Netty pipeline already inflates
 * {@code Content-Encoding: gzip} (and deflate) bodies and drops the header, bounded by
 * {@code micronaut.server.max-request-size}; a broken gzip body is answered by
 * {@link GzipErrorHandler}. What is left here: the size limit on the inflated body, and refusing
 * an encoding nobody inflated.
 */
final class RequestBody {

    private RequestBody() {}

    /**
     * The bytes to read events from.
     *
     * @throws IngestException {@code payload_too_large} past {@code maxBytes}, or
     *     {@code unsupported_media_type} for a content encoding that was not inflated
     */
    static byte[] of(byte[] body, String contentEncoding, int maxBytes) {
        if (contentEncoding != null) {
            String encoding = contentEncoding.strip().toLowerCase(Locale.ROOT);
            if (!encoding.isEmpty() && !encoding.equals("identity")) {
                throw new IngestException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip or identity, not " + encoding);
            }
        }
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > maxBytes) {
            throw new IngestException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the body may be at most " + maxBytes + " bytes (after decompression)");
        }
        return raw;
    }
}
