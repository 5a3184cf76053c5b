package dev.tally.billing.cycle;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The billing periods of one anchor, time zone and interval, as half-open {@code [start, end)} instants.
 *
 * <p>Boundary {@code k} is the anchor's local date and time in the zone plus {@code k} intervals, computed
 * from the anchor every time and never by chaining from the previous boundary:
 *
 * <ul>
 *   <li>months and years keep the anchor's day of month where the month has it and take the month's last
 *       day where it does not: anchored on Jan 31, the boundaries fall on Feb 28 (Feb 29 in a leap year),
 *       Mar 31, Apr 30, May 31…; anchored yearly on Feb 29, on Feb 28 in common years and Feb 29 in leap
 *       years;
 *   <li>days and weeks are local calendar days, so a daily period lasts 23 or 25 hours across a change of
 *       daylight saving time;
 *   <li>a local time that does not exist (skipped when clocks spring forward) moves forward by the length
 *       of the gap: anchored at 02:30 in Europe/Paris, the boundary on the last Sunday of March is 03:30
 *       summer time;
 *   <li>a local time that exists twice (when clocks fall back) is its earlier occurrence, except the anchor
 *       itself, which is boundary 0 whatever its offset.
 * </ul>
 *
 * These are java.time's {@link ZonedDateTime#ofLocal} rules with no preferred offset. The anchor must fall
 * on a whole second, so every boundary does and prorations count whole seconds.
 */
public final class BillingCalendar {

    private final Instant anchor;
    private final ZoneId zone;
    private final BillingInterval interval;
    private final LocalDateTime anchorLocal;

    public BillingCalendar(Instant anchor, ZoneId zone, BillingInterval interval) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (anchor.getNano() != 0) {
            throw new IllegalArgumentException("the anchor must fall on a whole second: " + anchor);
        }
        this.anchorLocal = LocalDateTime.ofInstant(anchor, zone);
    }

    public Instant anchor() {
        return anchor;
    }

    public ZoneId zone() {
        return zone;
    }

    public BillingInterval interval() {
        return interval;
    }

    /** Where period {@code k} starts (and period {@code k - 1} ends). */
    public Instant boundary(long k) {
        if (k == 0) {
            return anchor;
        }
        return ZonedDateTime.ofLocal(interval.addTo(anchorLocal, k), zone, null).toInstant();
    }

    /** Period {@code k}: index 0 starts at the anchor, negative indexes lie before it. */
    public BillingPeriod period(long k) {
        return new BillingPeriod(k, boundary(k), boundary(k + 1));
    }

    /** The period that contains {@code instant}: the one that starts at it, when it is a boundary. */
    public BillingPeriod periodContaining(Instant instant) {
        long k = interval.intervalsBetween(anchorLocal, LocalDateTime.ofInstant(instant, zone));
        // the local estimate can be one off around month ends and changes of offset
        while (boundary(k).isAfter(instant)) {
            k--;
        }
        while (!boundary(k + 1).isAfter(instant)) {
            k++;
        }
        return period(k);
    }

    /** The periods that share at least one instant with {@code [from, to)}, in order; none when the range is empty. */
    public List<BillingPeriod> periodsOverlapping(Instant from, Instant to) {
        List<BillingPeriod> periods = new ArrayList<>();
        if (!from.isBefore(to)) {
            return periods;
        }
        BillingPeriod period = periodContaining(from);
        while (period.start().isBefore(to)) {
            periods.add(period);
            period = period(period.index() + 1);
        }
        return periods;
    }

    @Override
    public String toString() {
        return interval + " from " + anchor + " in " + zone;
    }
}
