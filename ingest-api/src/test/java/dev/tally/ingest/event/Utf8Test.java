package dev.tally.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {

    private static final byte[] ASCII =
            "{\"customer\":\"cus_1\",\"feature\":\"f\"}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldFindANulByteAtEveryPositionOfAWordAndOfTheTail() {
        for (int position = 0; position < ASCII.length; position++) {
            byte[] body = ASCII.clone();
            body[position] = 0;

            assertThat(Utf8.firstMalformed(body, 0, body.length, false)).isEqualTo(position);
            assertThat(Utf8.firstMalformed(body, 0, body.length, true)).isEqualTo(-1);
        }
    }

    @Test
    void shouldFindAByteOutsideAsciiAtEveryPosition() {
        for (int position = 0; position < ASCII.length; position++) {
            byte[] body = ASCII.clone();
            body[position] = (byte) 0xFF;

            assertThat(Utf8.firstMalformed(body, 0, body.length, false)).isEqualTo(position);
        }
    }

    @ParameterizedTest
    @CsvSource({"C3A9", "E282AC", "F09F9880", "EFBBBF", "F48FBFBF", "ED9FBF"})
    void shouldAcceptWellFormedSequences(String hex) {
        byte[] body = HexFormat.of().parseHex("41424344454647" + hex + "41");

        assertThat(Utf8.firstMalformed(body, 0, body.length, false)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({"C0AF", "C1A1", "E080AF", "EDA080", "F08080AF", "F4908080", "F5808080", "80", "C3", "E282", "C328"})
    void shouldRefuseOverlongSurrogateTruncatedAndStraySequences(String hex) {
        byte[] body = HexFormat.of().parseHex("41424344454647" + hex);

        assertThat(Utf8.firstMalformed(body, 0, body.length, false)).isEqualTo(7);
    }

    @Test
    void shouldCheckOnlyTheGivenRange() {
        byte[] body = HexFormat.of().parseHex("FF414243FF");

        assertThat(Utf8.firstMalformed(body, 1, 3, false)).isEqualTo(-1);
    }
}
