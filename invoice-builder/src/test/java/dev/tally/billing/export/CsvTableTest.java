package dev.tally.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static final CsvTable<String[]> TWO = new CsvTable<>(
            List.of(new CsvTable.Column<>("a", row -> row[0]), new CsvTable.Column<>("b", row -> row[1])));

    /** value, then the field RFC 4180 writes for it. */
    private static final List<List<String>> FIELDS = List.of(
            List.of("Acme", "Acme"),
            List.of("Acme, Inc.", "\"Acme, Inc.\""),
            List.of("Say \"hi\"", "\"Say \"\"hi\"\"\""),
            List.of("one\ntwo", "\"one\ntwo\""),
            List.of("one\rtwo", "\"one\rtwo\""),
            List.of(" spaced ", " spaced "),
            List.of("", ""),
            List.of("-1.50", "-1.50"));

    @Test
    void shouldQuoteAFieldOnlyWhenItHoldsACommaAQuoteOrALineBreak() {
        for (List<String> field : FIELDS) {
            StringBuilder out = new StringBuilder();
            CsvTable.appendField(out, field.get(0));

            assertThat(out.toString()).as("field of %s", field.get(0)).isEqualTo(field.get(1));
        }
    }

    @Test
    void shouldWriteTheHeaderAndEachRecordEndedByCrlfWithEmptyFieldsForNull() {
        StringBuilder out = new StringBuilder();
        TWO.header(out);
        TWO.row(new String[] {"x", null}, out);
        TWO.row(new String[] {null, "a,b"}, out);

        assertThat(out.toString()).isEqualTo("a,b\r\nx,\r\n,\"a,b\"\r\n");
        assertThat(TWO.names()).containsExactly("a", "b");
    }
}
