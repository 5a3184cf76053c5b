package dev.tally.ingest.intake;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key, counted in events: a batch of 1,000 costs 1,000 tokens. Buckets are
 * kept per key hash; only authenticated keys get one, so their number is bounded by the keys that
 * exist.
 */
@Singleton
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(IngestSettings settings) {
        this(settings.rateLimit(), settings.rateBurst(), System::nanoTime);
    }

    RateLimiter(long ratePerSecond, long burst, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(burst, 1);
        this.nanoClock = nanoClock;
    }

    /**
     * Takes {@code events} tokens from the key's bucket.
     *
     * @throws IngestException {@code rate_limited}, with the wait until enough tokens are back, when the
     *     bucket holds too few (or {@code events} exceeds the burst: then the batch must be split)
     */
    public void acquire(String keyHash, int events) {
        if (ratePerSecond == 0 || events == 0) {
            return;
        }
        if (events > burst) {
            throw new IngestException(
                    ErrorCode.RATE_LIMITED,
                    "a request may hold at most " + burst + " events for this key's rate limit; split the batch");
        }
        long wait = buckets.computeIfAbsent(keyHash, hash -> new Bucket(burst, nanoClock.getAsLong()))
                .take(events, nanoClock.getAsLong());
        if (wait > 0) {
            throw IngestException.retryable(
                    ErrorCode.RATE_LIMITED,
                    "more than " + ratePerSecond + " events per second for this API key; slow down",
                    Duration.ofNanos(wait),
                    null);
        }
    }

    /** Tokens are kept in nano-tokens (tokens × 10^9) so that refills stay exact in integers. */
    private final class Bucket {
        private long nanoTokens;
        private long refilledAt;

        Bucket(long tokens, long now) {
            this.nanoTokens = tokens * NANOS_PER_SECOND;
            this.refilledAt = now;
        }

        /** Takes {@code events} tokens and answers 0, or takes none and answers the nanoseconds to wait. */
        synchronized long take(int events, long now) {
            long capacity = burst * NANOS_PER_SECOND;
            long elapsed = now - refilledAt;
            refilledAt = now;
            // elapsed × rate: bounded by the capacity, so saturate before multiplying far.
            long refill = elapsed >= capacity / ratePerSecond ? capacity : elapsed * ratePerSecond;
            nanoTokens = Math.min(capacity, nanoTokens + refill);
            long needed = events * NANOS_PER_SECOND;
            if (nanoTokens >= needed) {
                nanoTokens -= needed;
                return 0;
            }
            return (needed - nanoTokens + ratePerSecond - 1) / ratePerSecond;
        }
    }
}
