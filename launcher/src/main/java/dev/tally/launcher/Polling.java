package dev.tally.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waits for the asynchronous pipeline to reach a state, asking again at a fixed interval. */
final class Polling {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Polling() {}

    /**
     * Asks {@code probe} until it returns a value, and returns it.
     *
     * @throws IllegalStateException naming {@code what} when {@code timeout} passes first
     */
    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
