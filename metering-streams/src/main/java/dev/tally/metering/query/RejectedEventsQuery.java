package dev.tally.metering.query;

import dev.tally.schemas.rules.InstantRange;
import java.time.Instant;

/**
 * A validated query of rejected events: one customer or all of the organization's ({@code
 * customerId} null), rejected in {@code [from, to)}, at most {@code limit} of them.
 */
public record RejectedEventsQuery(String customerId, Instant from, Instant to, int limit) {

    /** Validates raw request parameters; each may be null ({@code from} and {@code to}: unbounded). */
    static RejectedEventsQuery parse(String customer, String from, String to, String limit) {
        String customerId = QueryParameters.customer("customer", customer);
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        Instant first = start == null ? InstantRange.EARLIEST : start;
        Instant last = end == null ? InstantRange.LATEST : end;
        if (!last.isAfter(first)) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, "to must be after from", "to");
        }
        int size = QueryParameters.pageSize("limit", limit);
        return new RejectedEventsQuery(customerId, first, last, size);
    }
}
