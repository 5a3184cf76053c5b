package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;

/**
 * How a window turns events into usage: the aggregation and the event property it reads (null:
 * the quantity). A window records the definition it was opened with and keeps it to the end.
 */
record Definition(Aggregation aggregation, String valueProperty) {

    /** Features with no active meter: the sum of quantities. */
    static final Definition UNMETERED = new Definition(Aggregation.SUM, null);
}
