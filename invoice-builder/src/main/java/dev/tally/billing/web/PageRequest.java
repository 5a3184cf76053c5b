package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import dev.tally.schemas.rules.PageSize;

/**
 * A page of a list endpoint: {@code limit} items (the shared {@link PageSize} rule) after the item
 * whose id is {@code startingAfter} (null for the first page).
 */
public record PageRequest(int limit, String startingAfter) {

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
        try {
            return PageSize.of(Inputs.withoutControls("limit", text));
        } catch (IllegalArgumentException e) {
            throw BillingException.invalid("limit", e.getMessage());
        }
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
