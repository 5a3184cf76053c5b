package dev.tally.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static final CsvTable<String[]> TWO =
            new CsvTable<>(List.of(CsvTable.Column.text("a", row -> row[0]), CsvTable.Column.text("b", row -> row[1])));

    /** value, then the field RFC 4180 writes for it. */
    private static final List<List<String>> FIELDS = List.of(
            List.of("Acme", "Acme"),
            List.of("Acme, Inc.", "\"Acme, Inc.\""),
            List.of("Say \"hi\"", "\"Say \"\"hi\"\"\""),
            List.of("one\ntwo", "\"one\ntwo\""),
            List.of("one\rtwo", "\"one\rtwo\""),
            List.of(" spaced ", " spaced "),
            List.of("", ""),
            List.of("-1.50", "-1.50"),
            List.of("seats, 1 Dec \u2013 31 Dec", "\"seats, 1 Dec \u2013 31 Dec\""),
            List.of("Caf\u00e9 \"Z\u00fcrich\" \ud83d\ude00", "\"Caf\u00e9 \"\"Z\u00fcrich\"\" \ud83d\ude00\""));

    @Test
    void shouldQuoteAFieldOnlyWhenItHoldsACommaAQuoteOrALineBreak() {
        for (List<String> field : FIELDS) {
            CsvBuffer out = new CsvBuffer(4);
            out.field(field.get(0));

            assertThat(out.toString()).as("field of %s", field.get(0)).isEqualTo(field.get(1));
        }
    }

    @Test
    void shouldEncodeEveryCharacterAsUtf8ExactlyAsStringGetBytesDoes() {
        // ASCII, two-, three- and four-byte characters, and a lone surrogate (which UTF-8 cannot encode)
        String value = "a\u00e9\u2013\u20ac\ud83d\ude00\ud800z\udc00";
        CsvBuffer out = new CsvBuffer(1);
        out.field(value);

        byte[] written = Arrays.copyOf(out.bytes(), out.length());
        assertThat(written).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteTheHeaderAndEachRecordEndedByCrlfWithEmptyFieldsForNull() {
        CsvBuffer out = new CsvBuffer(8);
        TWO.header(out);
        TWO.row(new String[] {"x", null}, out);
        TWO.row(new String[] {null, "a,b"}, out);

        assertThat(out.toString()).isEqualTo("a,b\r\nx,\r\n,\"a,b\"\r\n");
        assertThat(TWO.names()).containsExactly("a", "b");
    }

    @Test
    void shouldWriteDecimalsAsToPlainStringDoesAtEveryScaleAndSign() {
        SplittableRandom random = new SplittableRandom(4);
        List<Long> edges =
                List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE, -Long.MAX_VALUE);
        for (int scale = 0; scale <= 20; scale++) {
            for (long unscaled : edges) {
                assertDecimal(unscaled, scale);
            }
            for (int i = 0; i < 2000; i++) {
                long unscaled = random.nextLong() >> random.nextInt(64);
                assertDecimal(unscaled, scale);
            }
        }
        for (String text : List.of("1234.000000000", "-0.000000001", "0E-9", "123456789012345678901234.5", "1E+3")) {
            CsvBuffer out = new CsvBuffer(1);
            out.decimal(new BigDecimal(text));
            assertThat(out.toString()).as(text).isEqualTo(new BigDecimal(text).toPlainString());
        }
    }

    private static void assertDecimal(long unscaled, int scale) {
        CsvBuffer out = new CsvBuffer(1);
        out.decimal(unscaled, scale);
        assertThat(out.toString())
                .as("%d at scale %d", unscaled, scale)
                .isEqualTo(BigDecimal.valueOf(unscaled, scale).toPlainString());
    }

    @Test
    void shouldWriteInstantsAsInstantToStringDoesAndMoneyAtItsCurrencysScale() {
        CsvTable<Instant> instants = new CsvTable<>(List.of(CsvTable.Column.instant("at", at -> at)));
        CsvTable<Long> usd = new CsvTable<>(List.of(CsvTable.Column.money("total", minor -> minor, minor -> "USD")));
        CsvTable<Long> jpy = new CsvTable<>(List.of(CsvTable.Column.money("total", minor -> minor, minor -> "JPY")));
        CsvBuffer out = new CsvBuffer(1);

        instants.row(Instant.parse("2026-12-01T10:15:30.120Z"), out);
        instants.row(Instant.parse("+12026-12-01T00:00:00Z"), out);
        instants.row(null, out);
        usd.row(1230L, out);
        usd.row(-5L, out);
        jpy.row(1230L, out);

        assertThat(out.toString())
                .isEqualTo("2026-12-01T10:15:30.120Z\r\n+12026-12-01T00:00:00Z\r\n\r\n12.30\r\n-0.05\r\n1230\r\n");
    }
}
