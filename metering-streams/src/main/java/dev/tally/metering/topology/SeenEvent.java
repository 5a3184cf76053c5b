package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;

/**
 * What the dedup store remembers of an event: enough to refuse its duplicates and to take it back
 * out of its window if it is retracted (its series, time, the aggregation and value it was counted
 * with), and whether that already happened. A retraction's own id is remembered with nothing else.
 *
 * @param retraction whether the event was a retraction (it has no window)
 * @param retracted whether a retraction took this event back
 */
record SeenEvent(
        boolean retraction,
        boolean retracted,
        String customerId,
        String feature,
        long occurredAt,
        Aggregation aggregation,
        BigDecimal value,
        String distinct) {

    /** The record of any retraction. */
    static final SeenEvent RETRACTION = new SeenEvent(true, false, null, null, 0, null, null, null);

    /** A counted event. */
    static SeenEvent counted(Series series, Aggregation aggregation, Contribution contribution) {
        return new SeenEvent(
                false,
                false,
                series.customerId(),
                series.feature(),
                contribution.occurredAt(),
                aggregation,
                contribution.value(),
                contribution.distinct());
    }

    /** The same event, marked retracted. */
    SeenEvent asRetracted() {
        return new SeenEvent(false, true, customerId, feature, occurredAt, aggregation, value, distinct);
    }

    /** What the event brought to its window, to take back out. */
    Contribution contribution(String eventId) {
        return new Contribution(value, distinct, occurredAt, eventId);
    }
}
