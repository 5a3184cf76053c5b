package dev.tally.billing.export;

import java.util.List;
import java.util.function.Function;

/**
 * A CSV table of rows of type {@code R}: its columns in order, each a name (the header) and the text a row
 * shows in it (null: an empty field). Written as RFC 4180 says: fields separated by commas, records ended by
 * CRLF, a field holding a comma, a double quote, CR or LF enclosed in double quotes with its double quotes
 * doubled. Nothing else is changed: a value is exported exactly as it is stored.
 */
public record CsvTable<R>(List<Column<R>> columns) {

    /** A column: its header and its value in a row. */
    public record Column<R>(String name, Function<R, String> value) {}

    public CsvTable {
        columns = List.copyOf(columns);
    }

    /** The header names, in order. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** Appends the header record to {@code out}. */
    public void header(StringBuilder out) {
        for (int i = 0; i < columns.size(); i++) {
            field(out, i, columns.get(i).name());
        }
        out.append("\r\n");
    }

    /** Appends {@code row}'s record to {@code out}. */
    public void row(R row, StringBuilder out) {
        for (int i = 0; i < columns.size(); i++) {
            field(out, i, columns.get(i).value().apply(row));
        }
        out.append("\r\n");
    }

    private static void field(StringBuilder out, int index, String value) {
        if (index > 0) {
            out.append(',');
        }
        if (value != null) {
            appendField(out, value);
        }
    }

    /** Appends {@code value} as one field, quoted when RFC 4180 requires it. */
    static void appendField(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
