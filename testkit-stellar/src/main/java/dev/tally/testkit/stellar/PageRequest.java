package dev.tally.testkit.stellar;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import okhttp3.HttpUrl;

/**
 * Horizon's paging parameters: {@code cursor} (an id, exclusive; {@code now} for the newest end),
 * {@code order} ({@code asc} by default) and {@code limit} (10 by default, 1 to 200).
 */
record PageRequest(long cursor, boolean ascending, int limit) {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 200;

    /** Parses the paging parameters of {@code url}, refusing bad ones as Horizon does. */
    static PageRequest from(HttpUrl url) {
        String order = url.queryParameter("order");
        boolean ascending = order == null || order.isEmpty() || order.equals("asc");
        if (!ascending && !order.equals("desc")) {
            throw new BadRequest("order", "order: must be asc or desc");
        }
        int limit = DEFAULT_LIMIT;
        String limitText = url.queryParameter("limit");
        if (limitText != null && !limitText.isEmpty()) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw new BadRequest("limit", "limit: unparseable value");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadRequest("limit", "limit: must be between 1 and " + MAX_LIMIT);
            }
        }
        return new PageRequest(cursor(url.queryParameter("cursor"), ascending), ascending, limit);
    }

    private static long cursor(String text, boolean ascending) {
        if (text == null || text.isEmpty()) {
            return ascending ? -1 : Long.MAX_VALUE;
        }
        if (text.equals("now")) {
            return Long.MAX_VALUE;
        }
        try {
            long cursor = Long.parseLong(text);
            if (cursor < 0) {
                throw new BadRequest("cursor", "cursor: must not be negative");
            }
            return cursor;
        } catch (NumberFormatException e) {
            throw new BadRequest("cursor", "cursor: unparseable value");
        }
    }

    /** The records after (ascending) or before (descending) the cursor, at most {@code limit}. */
    <T> List<T> select(List<T> records, ToLongFunction<T> id) {
        Comparator<T> byId = Comparator.comparingLong(id);
        return records.stream()
                .filter(r -> ascending ? id.applyAsLong(r) > cursor : id.applyAsLong(r) < cursor)
                .sorted(ascending ? byId : byId.reversed())
                .limit(limit)
                .toList();
    }

    /** The link to the page that continues from {@code cursorToken} in the given order. */
    HttpUrl link(HttpUrl url, String cursorToken, boolean ascendingOrder) {
        return url.newBuilder()
                .setQueryParameter("cursor", cursorToken)
                .setQueryParameter("limit", Integer.toString(limit))
                .setQueryParameter("order", ascendingOrder ? "asc" : "desc")
                .build();
    }

    /** A request parameter Horizon refuses with a {@code bad_request} problem. */
    static final class BadRequest extends RuntimeException {
        private final String field;

        BadRequest(String field, String reason) {
            super(reason);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
