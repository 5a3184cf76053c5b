package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import java.util.OptionalLong;

/**
 * Optimistic concurrency on versioned records: the entity tag of a record is its version, quoted
 * ({@code ETag: "3"}), and an update may require it with {@code If-Match}, quoted or not
 * ({@code "3"} or {@code 3}); {@code *} requires nothing more than the record existing. A weak tag
 * ({@code W/"3"}) or a list of tags is refused: If-Match compares strongly, and a version is one.
 */
public final class IfMatch {

    /** The request header. */
    public static final String HEADER = "If-Match";

    /** The longest version: a positive {@code long} has at most 19 digits. */
    private static final int MAX_DIGITS = 18;

    private IfMatch() {}

    /** The version {@code header} requires; empty when there is no header or it is {@code *}. */
    public static OptionalLong version(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        String tag = header.strip();
        if (tag.equals("*")) {
            return OptionalLong.empty();
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        if (tag.isEmpty() || tag.length() > MAX_DIGITS || !tag.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw BillingException.invalid(HEADER, HEADER + " must be the version to update, like \"3\"");
        }
        return OptionalLong.of(Long.parseLong(tag));
    }

    /** The {@code ETag} of {@code version}. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
