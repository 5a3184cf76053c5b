package dev.tally.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static final byte[] EVENTS =
            "[{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}]".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldInflateWholeGzipAndDeflateBodies() throws IOException {
        assertThat(RequestBody.of(gzip(EVENTS), "gzip", 1024)).isEqualTo(EVENTS);
        assertThat(RequestBody.of(gzip(EVENTS), " X-GZIP ", 1024)).isEqualTo(EVENTS);
        assertThat(RequestBody.of(deflate(EVENTS), "deflate", 1024)).isEqualTo(EVENTS);
        assertThat(RequestBody.of(EVENTS, "identity", 1024)).isEqualTo(EVENTS);
        assertThat(RequestBody.of(EVENTS, null, 1024)).isEqualTo(EVENTS);
    }

    @Test
    void shouldRefuseAGzipBodyWithoutItsTrailerAsInvalidGzip() throws IOException {
        byte[] gzipped = gzip(EVENTS);

        assertRefused(Arrays.copyOf(gzipped, gzipped.length - 8), "gzip", ErrorCode.INVALID_GZIP);
        assertRefused(Arrays.copyOf(gzipped, gzipped.length / 2), "gzip", ErrorCode.INVALID_GZIP);
        assertRefused(EVENTS, "gzip", ErrorCode.INVALID_GZIP);
        assertRefused(new byte[0], "gzip", ErrorCode.INVALID_GZIP);
    }

    @Test
    void shouldRefuseAGzipBodyWhoseChecksumDoesNotMatch() throws IOException {
        byte[] gzipped = gzip(EVENTS);
        gzipped[gzipped.length - 8] ^= 1;

        assertRefused(gzipped, "gzip", ErrorCode.INVALID_GZIP);
    }

    @Test
    void shouldRefuseATruncatedDeflateBody() throws IOException {
        byte[] deflated = deflate(EVENTS);

        assertRefused(Arrays.copyOf(deflated, deflated.length - 4), "deflate", ErrorCode.INVALID_GZIP);
    }

    @Test
    void shouldStopInflatingABombAtTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[64 << 20]);

        assertRefused(bomb, "gzip", ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void shouldRefuseAnEncodingItCannotInflate() {
        assertRefused(EVENTS, "br", ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertRefused(EVENTS, "gzip, gzip", ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    private static void assertRefused(byte[] body, String encoding, ErrorCode code) {
        assertThatThrownBy(() -> RequestBody.of(body, encoding, 1 << 20))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(body);
        }
        return out.toByteArray();
    }
}
