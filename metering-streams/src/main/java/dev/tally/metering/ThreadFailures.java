package dev.tally.metering;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides whether a failed stream thread is worth replacing: a transient failure is, but a thread
 * failing again and again (a bug, a poison state) would replace forever, so past {@code limit}
 * failures within {@code period} the client shuts down and the operator is told.
 */
final class ThreadFailures {

    private final int limit;
    private final long periodMillis;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadFailures(int limit, Duration period) {
        this.limit = limit;
        this.periodMillis = period.toMillis();
    }

    /** Records a failure at {@code nowMillis}; true while replacing the thread is still sensible. */
    synchronized boolean record(long nowMillis) {
        recent.addLast(nowMillis);
        while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - periodMillis) {
            recent.removeFirst();
        }
        return recent.size() <= limit;
    }
}
