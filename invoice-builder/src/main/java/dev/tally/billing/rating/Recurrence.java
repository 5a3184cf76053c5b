package dev.tally.billing.rating;

import dev.tally.billing.rating.PriceModel.Kind;

/** A price's period and timing as {@link PriceValidator} reads them: {@code interval}, {@code intervalCount}, {@code billingTiming}. */
record Recurrence(Interval interval, Integer intervalCount, BillingTiming billingTiming) {

    /**
     * The recurrence the texts state for a price of {@code kind} (null while the model is unknown),
     * defaults filled in; its parts are null where {@code problems} received one.
     */
    static Recurrence of(
            Kind kind, String intervalText, Integer intervalCount, String timingText, ProblemList problems) {
        Interval interval = null;
        if (intervalText != null) {
            interval = Interval.fromWireName(intervalText).orElse(null);
            if (interval == null) {
                problems.add("interval", ProblemCode.UNKNOWN_VALUE, "interval must be one of day, week, month, year");
            }
        } else if (kind != null && kind.ratesUsage()) {
            problems.add(
                    "interval",
                    ProblemCode.REQUIRED,
                    "interval is required for model " + kind.wireName() + ": usage is rated per period");
        }

        Integer count = intervalText == null ? null : 1;
        if (intervalCount != null) {
            if (intervalText == null) {
                problems.add("intervalCount", ProblemCode.NOT_ALLOWED, "intervalCount goes with an interval");
            } else if (intervalCount < 1) {
                problems.add("intervalCount", ProblemCode.NOT_POSITIVE, "intervalCount must be at least 1");
            } else if (interval != null && intervalCount > interval.maxCount()) {
                problems.add(
                        "intervalCount",
                        ProblemCode.OUT_OF_RANGE,
                        "intervalCount must be at most " + interval.maxCount() + " with interval " + interval.wireName()
                                + ": a period is at most a year");
            } else {
                count = intervalCount;
            }
        }

        BillingTiming timing =
                kind == null ? null : kind.ratesUsage() ? BillingTiming.IN_ARREARS : BillingTiming.IN_ADVANCE;
        if (timingText != null) {
            BillingTiming stated = BillingTiming.fromWireName(timingText).orElse(null);
            if (stated == null) {
                problems.add(
                        "billingTiming", ProblemCode.UNKNOWN_VALUE, "billingTiming must be in_advance or in_arrears");
            } else if (kind != null && kind.ratesUsage() && stated == BillingTiming.IN_ADVANCE) {
                problems.add(
                        "billingTiming",
                        ProblemCode.NOT_ALLOWED,
                        "billingTiming must be in_arrears for usage: a period is rated once its usage is known");
            } else if (kind == Kind.FLAT && intervalText == null && stated == BillingTiming.IN_ARREARS) {
                problems.add(
                        "billingTiming",
                        ProblemCode.NOT_ALLOWED,
                        "billingTiming must be in_advance for a one-time fee (no interval)");
            } else {
                timing = stated;
            }
        }
        return new Recurrence(interval, count, timing);
    }
}
