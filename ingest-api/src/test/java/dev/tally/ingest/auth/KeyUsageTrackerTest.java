package dev.tally.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.avro.ApiKeyUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyUsageTrackerTest {

    private static final long T0 = Instant.parse("2026-11-22T04:00:00Z").toEpochMilli();

    private final KeyUsageTracker tracker = new KeyUsageTracker();

    @Test
    void shouldPublishOnlyUsedKeysOncePerRoundWithTheirLatestTime() {
        tracker.used("hash-a", "org-1", T0);
        tracker.used("hash-a", "org-1", T0 + 300);
        tracker.used("hash-a", "org-1", T0 + 100);
        tracker.used("hash-b", "org-2", T0 + 50);

        List<ApiKeyUsage> round = tracker.pending();

        assertThat(round)
                .containsExactlyInAnyOrder(
                        new ApiKeyUsage("hash-a", "org-1", Instant.ofEpochMilli(T0 + 300)),
                        new ApiKeyUsage("hash-b", "org-2", Instant.ofEpochMilli(T0 + 50)));
    }

    @Test
    void shouldPublishNothingWhenNoKeyWasUsedSinceTheLastAcknowledgedRound() {
        assertThat(tracker.pending()).isEmpty();
        tracker.used("hash-a", "org-1", T0);
        tracker.used("hash-b", "org-1", T0);
        tracker.pending().forEach(tracker::published);

        assertThat(tracker.pending()).isEmpty();

        tracker.used("hash-b", "org-1", T0 + 5_000);
        assertThat(tracker.pending())
                .containsExactly(new ApiKeyUsage("hash-b", "org-1", Instant.ofEpochMilli(T0 + 5_000)));
    }

    @Test
    void shouldKeepAKeyPendingUntilItsPublicationIsAcknowledged() {
        tracker.used("hash-a", "org-1", T0);

        List<ApiKeyUsage> failedRound = tracker.pending();

        assertThat(tracker.pending()).isEqualTo(failedRound).hasSize(1);
    }

    @Test
    void shouldStayPendingWhenUsedAgainWhileARoundWasInFlight() {
        tracker.used("hash-a", "org-1", T0);
        List<ApiKeyUsage> round = tracker.pending();
        tracker.used("hash-a", "org-1", T0 + 10);

        round.forEach(tracker::published);

        assertThat(tracker.pending())
                .containsExactly(new ApiKeyUsage("hash-a", "org-1", Instant.ofEpochMilli(T0 + 10)));
    }
}
