package dev.tally.metering.topology;

import dev.tally.metering.MeteringSettings;
import java.time.Duration;

/**
 * Deletes the {@link WindowEntries} of windows their headers' stores no longer keep: billing
 * windows past the correction horizon, live minutes and hours past their retention (a window's
 * length more, so no window still kept loses entries). Run by the wall clock, a bounded number
 * of entries at a time so one punctuation never holds a transaction long; the rest goes next time.
 */
record EntryRetention(long billingWindowKept, long minuteKept, long hourKept) {

    /** How often the wall clock is checked for entries to delete. */
    static final Duration INTERVAL = Duration.ofMinutes(5);

    /** The most entries one scope loses in one run. */
    static final int BATCH = 50_000;

    static EntryRetention of(MeteringSettings settings) {
        Duration minutes = MeteringTopology.minuteRetention(settings);
        return new EntryRetention(
                settings.correctionHorizon().plus(settings.windowSize()).toMillis(),
                minutes.toMillis() + LiveUsage.MINUTE,
                settings.liveRetention().toMillis() + LiveUsage.HOUR);
    }

    void apply(WindowEntries entries, long now) {
        entries.deleteBefore(WindowEntries.Scope.BILLING_WINDOW, now - billingWindowKept, BATCH);
        entries.deleteBefore(WindowEntries.Scope.LIVE_MINUTE, now - minuteKept, BATCH);
        entries.deleteBefore(WindowEntries.Scope.LIVE_HOUR, now - hourKept, BATCH);
    }
}
