package dev.tally.metering.topology;

/** A tumbling window: start inclusive, end exclusive, in epoch milliseconds. */
record Window(long start, long end) {

    /** The window of {@code sizeMillis} that contains {@code timestampMillis}. */
    static Window containing(long timestampMillis, long sizeMillis) {
        long start = timestampMillis - Math.floorMod(timestampMillis, sizeMillis);
        return new Window(start, start + sizeMillis);
    }
}
