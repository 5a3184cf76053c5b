package dev.tally.ingest.web;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A request body as events are read from it: inflated when it is gzip or deflate, and bounded.
 *
 * <p>Ingest inflates bodies itself ({@code micronaut.server.netty.request-decompression-enabled:
 * false}, set by {@link dev.tally.ingest.IngestApiApplication}): the server's inflater ends a
 * truncated stream silently, so a gzip body cut short was read as the events it still held (all
 * accepted, the rest lost without a word) or as broken JSON. {@link GZIPInputStream} checks the
 * stream's end, CRC and length, so a body that is not whole gzip is {@code invalid_gzip}. Where the
 * server still inflates (a context that leaves its default on), the header is gone by the time the
 * body arrives, and {@link GzipErrorHandler} answers what the server's inflater refuses.
 */
final class RequestBody {

    private RequestBody() {}

    /**
     * The bytes to read events from.
     *
     * @throws IngestException {@code payload_too_large} past {@code maxBytes} (after inflating),
     *     {@code invalid_gzip} for a compressed body that is not whole, or {@code unsupported_media_type}
     *     for a content encoding other than gzip, deflate and identity
     */
    static byte[] of(byte[] body, String contentEncoding, int maxBytes) {
        byte[] raw = body == null ? new byte[0] : body;
        String encoding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        byte[] inflated =
                switch (encoding) {
                    case "", "identity" -> raw;
                    case "gzip", "x-gzip" -> inflate(raw, maxBytes, true);
                    case "deflate" -> inflate(raw, maxBytes, false);
                    default ->
                        throw new IngestException(
                                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                                "Content-Encoding must be gzip, deflate or identity, not " + encoding);
                };
        if (inflated.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return inflated;
    }

    /** Inflates at most {@code maxBytes + 1} bytes: a small body that inflates to gigabytes stops there. */
    private static byte[] inflate(byte[] compressed, int maxBytes, boolean gzip) {
        try (InputStream in = gzip
                ? new GZIPInputStream(new ByteArrayInputStream(compressed))
                : new InflaterInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, compressed.length * 4) + 1);
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (out.size() > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            // truncated, a bad header, CRC or length: the inflater's message is not the client's business
            throw new IngestException(
                    ErrorCode.INVALID_GZIP,
                    "the body is not valid " + (gzip ? "gzip" : "deflate") + " (truncated or corrupt)");
        }
    }

    private static IngestException tooLarge(int maxBytes) {
        return new IngestException(
                ErrorCode.PAYLOAD_TOO_LARGE, "the body may be at most " + maxBytes + " bytes (after decompression)");
    }
}
