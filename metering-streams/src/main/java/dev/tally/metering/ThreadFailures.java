package dev.tally.metering;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Counts the failures of the metering stream within a sliding period, to decide whether starting a
 * fresh client is still sensible: a transient failure heals with a restart, but a stream failing
 * again and again (a bug, a poison state) would restart forever, so past {@code limit} failures
 * within {@code period} it stops and the operator is told.
 */
final class ThreadFailures {

    private final int limit;
    private final Duration period;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadFailures(int limit, Duration period) {
        this.limit = limit;
        this.period = period;
    }

    /**
     * Records a failure at {@code nowMillis}; returns the failures within the period, this one
     * included: restarting is sensible while that is at most {@link #limit()}.
     */
    synchronized int record(long nowMillis) {
        recent.addLast(nowMillis);
        while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - period.toMillis()) {
            recent.removeFirst();
        }
        return recent.size();
    }

    int limit() {
        return limit;
    }

    Duration period() {
        return period;
    }
}
