package dev.tally.platform.offsets;

import java.util.regex.Pattern;

/** Checks PostgreSQL schema names before they are spliced into SQL (they cannot be bound). */
public final class SqlIdentifiers {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlIdentifiers() {}

    /**
     * {@code schema} if it is a plain lower-case identifier.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String schema(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain lower-case schema name: " + schema);
        }
        return schema;
    }
}
