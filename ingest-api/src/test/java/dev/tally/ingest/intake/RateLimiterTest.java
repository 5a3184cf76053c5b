package dev.tally.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private long now = 0;
    private final RateLimiter limiter = new RateLimiter(100, 200, () -> now);

    @Test
    void shouldAllowTheBurstThenRefuseWithTheWaitUntilTokensAreBack() {
        limiter.acquire("key", 200);

        assertThatThrownBy(() -> limiter.acquire("key", 50)).isInstanceOfSatisfying(IngestException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(500));
        });
    }

    @Test
    void shouldRefillAtTheRate() {
        limiter.acquire("key", 200);
        now += Duration.ofMillis(500).toNanos();

        assertThatCode(() -> limiter.acquire("key", 50)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limiter.acquire("key", 1)).isInstanceOf(IngestException.class);
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        now += Duration.ofHours(1).toNanos();
        limiter.acquire("key", 200);

        assertThatThrownBy(() -> limiter.acquire("key", 1)).isInstanceOf(IngestException.class);
    }

    @Test
    void shouldKeepOneBucketPerKey() {
        limiter.acquire("a", 200);

        assertThatCode(() -> limiter.acquire("b", 200)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseABatchLargerThanTheBurstWithoutRetryAfter() {
        assertThatThrownBy(() -> limiter.acquire("key", 201))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.retryAfter()).isNull());
    }

    @Test
    void shouldNotLimitWhenTheRateIsZero() {
        RateLimiter unlimited = new RateLimiter(0, 1, () -> now);

        assertThatCode(() -> unlimited.acquire("key", 1_000_000)).doesNotThrowAnyException();
    }
}
