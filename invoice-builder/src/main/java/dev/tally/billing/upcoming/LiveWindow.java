package dev.tally.billing.upcoming;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One window of metering's live usage query (a row of {@code GET /v1/usage}): a customer's feature in {@code
 * [windowStart, windowEnd)}, open or closed, under the meter's aggregation.
 */
public record LiveWindow(
        Aggregation aggregation, Instant windowStart, Instant windowEnd, BigDecimal quantity, long eventCount) {

    public LiveWindow {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(quantity, "quantity");
    }
}
