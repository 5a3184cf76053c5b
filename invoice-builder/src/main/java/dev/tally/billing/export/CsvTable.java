package dev.tally.billing.export;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A CSV table of rows of type {@code R}: its columns in order, each a name (the header) and how a row's value
 * is written in it (null: an empty field). Written as RFC 4180 says: fields separated by commas, records
 * ended by CRLF, a field holding a comma, a double quote, CR or LF enclosed in double quotes with its double
 * quotes doubled ({@link CsvBuffer}). Nothing else is changed: a value is exported exactly as it is stored.
 */
public record CsvTable<R>(List<Column<R>> columns) {

    /** How a column's value of a row is written: nothing at all for an absent value (an empty field). */
    @FunctionalInterface
    public interface Cell<R> {
        void write(R row, CsvBuffer out);
    }

    /** A column: its header and its cell. */
    public record Column<R>(String name, Cell<R> cell) {

        /** A text column, written as it is. */
        public static <R> Column<R> text(String name, Function<R, String> value) {
            return new Column<>(name, (row, out) -> {
                String text = value.apply(row);
                if (text != null) {
                    out.field(text);
                }
            });
        }

        /** An instant, in ISO-8601 UTC as {@link Instant#toString()} writes it. */
        public static <R> Column<R> instant(String name, Function<R, Instant> value) {
            return new Column<>(name, (row, out) -> {
                Instant instant = value.apply(row);
                if (instant != null) {
                    out.instant(instant);
                }
            });
        }

        /** A decimal at its own scale, as {@link BigDecimal#toPlainString()} writes it. */
        public static <R> Column<R> decimal(String name, Function<R, BigDecimal> value) {
            return new Column<>(name, (row, out) -> {
                BigDecimal decimal = value.apply(row);
                if (decimal != null) {
                    out.decimal(decimal);
                }
            });
        }

        /** An amount in minor units, as a decimal at its currency's scale ({@link Currencies#fromMinor}). */
        public static <R> Column<R> money(String name, ToLongFunction<R> minor, Function<R, String> currency) {
            return new Column<>(
                    name,
                    (row, out) -> out.decimal(minor.applyAsLong(row), Currencies.minorDigits(currency.apply(row))));
        }
    }

    public CsvTable {
        columns = List.copyOf(columns);
    }

    /** The header names, in order. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** Writes the header record to {@code out}. */
    void header(CsvBuffer out) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.separator();
            }
            out.field(columns.get(i).name());
        }
        out.endOfRecord();
    }

    /** Writes {@code row}'s record to {@code out}. */
    void row(R row, CsvBuffer out) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.separator();
            }
            columns.get(i).cell().write(row, out);
        }
        out.endOfRecord();
    }
}
