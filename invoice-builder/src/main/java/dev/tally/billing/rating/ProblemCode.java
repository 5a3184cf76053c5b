package dev.tally.billing.rating;

/** Why a field of a price definition was refused: the machine-readable {@code code} of a {@link FieldProblem}. */
public enum ProblemCode {
    /** The model (or the field's context) needs it and it is absent. */
    REQUIRED,
    /** The field does not belong to this model (e.g. {@code tiers} on {@code per_unit}) or setting. */
    NOT_ALLOWED,
    /** Not a decimal number (or not text at all). */
    MALFORMED,
    NEGATIVE,
    /** More integer digits than the field's bound. */
    TOO_LARGE,
    /** More decimal places than the field's bound (9). */
    TOO_MANY_DECIMALS,
    /** Zero where only a positive value makes sense ({@code packageSize}, {@code upTo}, {@code intervalCount}). */
    NOT_POSITIVE,
    /** Outside the field's range ({@code rate} above 100, {@code intervalCount} above a year). */
    OUT_OF_RANGE,
    /** Not one of the field's values ({@code model}, {@code interval}, {@code billingTiming}). */
    UNKNOWN_VALUE,
    /** Not the ISO 4217 code of a currency in use. */
    UNKNOWN_CURRENCY,
    /** A list without any element ({@code tiers: []}). */
    EMPTY,
    /** A list with more elements than allowed. */
    TOO_MANY,
    /** A tier's {@code upTo} not above the tier before it. */
    NOT_ASCENDING,
    /** An open tier ({@code upTo} null) that is not the last. */
    OPEN_TIER_NOT_LAST,
    /** A last tier with an {@code upTo}: the last must be open, so every quantity has a tier. */
    LAST_TIER_NOT_OPEN,
    /** {@code minimumAmount} above {@code maximumAmount}. */
    MINIMUM_ABOVE_MAXIMUM;

    /** The JSON spelling: {@code required}, {@code not_ascending}, … */
    public String wireName() {
        return WireNames.of(this);
    }
}
