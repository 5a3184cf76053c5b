package dev.tally.billing.planning;

import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.cycle.TimeSpan;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The human descriptions of lines, in the customer's time zone: "Pro plan × 3, Mar 1 – Mar 31, 2026
 * (prorated 12 of 31 days)". A span is shown by its first and last local day (it ends just before its end).
 * A proration is counted in local days when the span and its period all start at the same local time of day
 * (days of 23 or 25 hours included), else in seconds, as it is computed.
 */
final class LineDescriptions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_YEAR = DateTimeFormatter.ofPattern("MMM d, uuuu", Locale.ENGLISH);

    private final ZoneId zone;

    LineDescriptions(ZoneId zone) {
        this.zone = zone;
    }

    /** The description of the line {@code target} is when nothing was invoiced for it yet. */
    String of(Target target, String priceName) {
        LineKey key = target.key();
        String billed = priceName + " × " + plain(target.quantity()) + ", " + dates(key.span());
        String prorated = target.fraction() == null || target.fraction().isWhole()
                ? ""
                : " (prorated " + share(key.span(), target.period()) + ")";
        return switch (key.kind()) {
            case IN_ADVANCE, IN_ARREARS, USAGE -> billed + prorated;
            case PRORATION_CREDIT -> "Unused time on " + billed + prorated;
            case PRORATION_CHARGE -> "Remaining time on " + billed + prorated;
            case CANCELLATION_CREDIT -> "Unused time on " + billed + " after cancellation" + prorated;
            case ADJUSTMENT -> throw new IllegalArgumentException("an adjustment describes the line it adjusts");
        };
    }

    /** The description of an adjustment bringing {@code invoiced} to {@code target}. */
    String adjustment(Target target, Standing invoiced, String priceName) {
        return "Adjustment: " + of(target, priceName) + " (was × " + plain(invoiced.quantity()) + ")";
    }

    private String dates(TimeSpan span) {
        LocalDateTime first = LocalDateTime.ofInstant(span.from(), zone);
        LocalDateTime last = LocalDateTime.ofInstant(span.to().minusSeconds(1), zone);
        if (first.toLocalDate().equals(last.toLocalDate())) {
            return DAY_AND_YEAR.format(first);
        }
        if (first.getYear() == last.getYear()) {
            return DAY.format(first) + " – " + DAY_AND_YEAR.format(last);
        }
        return DAY_AND_YEAR.format(first) + " – " + DAY_AND_YEAR.format(last);
    }

    private String share(TimeSpan span, BillingPeriod period) {
        LocalDateTime from = LocalDateTime.ofInstant(span.from(), zone);
        LocalDateTime to = LocalDateTime.ofInstant(span.to(), zone);
        LocalDateTime start = LocalDateTime.ofInstant(period.start(), zone);
        LocalDateTime end = LocalDateTime.ofInstant(period.end(), zone);
        boolean wholeDays = from.toLocalTime().equals(start.toLocalTime())
                && to.toLocalTime().equals(start.toLocalTime())
                && end.toLocalTime().equals(start.toLocalTime());
        if (wholeDays) {
            return ChronoUnit.DAYS.between(from, to) + " of " + ChronoUnit.DAYS.between(start, end) + " days";
        }
        return String.format(Locale.ROOT, "%,d of %,d seconds", span.seconds(), period.seconds());
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
