package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.topic.Keys;

/**
 * Keys of the live stores: the series, then the aggregation its windows were metered with. A
 * meter changed mid-hour makes the hour two cells, each exact under its own aggregation, rather
 * than one that mixes them.
 */
record LiveKey(Series series, Aggregation aggregation) {

    String encode() {
        return series.encode() + Keys.SEPARATOR + aggregation.name();
    }

    /** The text every key of {@code series} starts with. */
    static String prefix(Series series) {
        return series.encode() + Keys.SEPARATOR;
    }

    static LiveKey parse(String encoded) {
        int last = encoded.lastIndexOf(Keys.SEPARATOR);
        return new LiveKey(Series.parse(encoded.substring(0, last)), Aggregation.valueOf(encoded.substring(last + 1)));
    }
}
