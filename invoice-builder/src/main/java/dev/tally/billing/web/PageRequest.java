package dev.tally.billing.web;

import dev.tally.billing.BillingException;

/**
 * A page of a list endpoint: {@code limit} items (default {@value #DEFAULT_LIMIT}, at most {@value
 * #MAX_LIMIT}) after the item whose id is {@code startingAfter} (null for the first page).
 * Every list is cursor-paginated so that no read grows with the data: a customer's ledger once
 * answered 365 MB in one response.
 */
public record PageRequest(int limit, String startingAfter) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final int MAX_CURSOR_LENGTH = 512;

    /** The page the query parameters {@code limit} and {@code startingAfter} ask for. */
    public static PageRequest of(String limit, String startingAfter) {
        return new PageRequest(limit(limit), startingAfter(startingAfter));
    }

    /** How many rows to read: one more than the page, to know whether another page follows. */
    public int probe() {
        return limit + 1;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        String message = "limit must be a whole number from 1 to " + MAX_LIMIT;
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw BillingException.invalid("limit", message);
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw BillingException.invalid("limit", message);
        }
        return limit;
    }

    private static String startingAfter(String text) {
        if (text == null) {
            return null;
        }
        // the longest ids are ledger aggregate ids: organization, mode, customer, feature, window, revision
        if (text.isEmpty() || text.length() > MAX_CURSOR_LENGTH) {
            throw BillingException.invalid("startingAfter", "startingAfter must be the id of an item of the list");
        }
        return text;
    }
}
