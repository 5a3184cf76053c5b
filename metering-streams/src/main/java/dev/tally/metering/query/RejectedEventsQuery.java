package dev.tally.metering.query;

import java.time.Instant;

/**
 * A validated query of rejected events: one customer or all of the organization's ({@code
 * customerId} null), rejected in {@code [from, to)}, at most {@code limit} of them.
 */
public record RejectedEventsQuery(String customerId, Instant from, Instant to, int limit) {

    /** The page size when the client names none. */
    static final int DEFAULT_LIMIT = 100;

    /** The largest page: it bounds what one answer reads, holds and sends. */
    static final int MAX_LIMIT = 1000;

    /** Validates raw request parameters; each may be null ({@code from} and {@code to}: unbounded). */
    static RejectedEventsQuery parse(String customer, String from, String to, String limit) {
        String customerId = QueryParameters.customer("customer", customer);
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        Instant first = start == null ? QueryParameters.EARLIEST : start;
        Instant last = end == null ? QueryParameters.LATEST : end;
        if (!last.isAfter(first)) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, "to must be after from", "to");
        }
        int size = QueryParameters.count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT);
        return new RejectedEventsQuery(customerId, first, last, size);
    }
}
