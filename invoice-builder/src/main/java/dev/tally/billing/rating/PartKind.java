package dev.tally.billing.rating;

/** What one part of a rated amount is ({@code kind} in a quote's breakdown). */
public enum PartKind {
    /** A {@code flat} price's fee: the licensed quantity × {@code flatAmount}. */
    FLAT_FEE,
    /** A {@code per_unit} price's billable units × {@code unitAmount}. */
    UNITS,
    /** The units rated in one tier × that tier's {@code unitAmount} (zero when it has none). */
    TIER,
    /** A reached tier's {@code flatAmount}, once. */
    TIER_FLAT_FEE,
    /** The started packages × {@code packageAmount}. */
    PACKAGE,
    /** The billable quantity × {@code rate} / 100. */
    PERCENTAGE,
    /** The events × {@code fixedAmountPerEvent}. */
    FIXED_PER_EVENT,
    /** The units taken off by {@code freeUnits}: amount zero, listed so the breakdown explains the quantity. */
    FREE_UNITS,
    /** What raises the period to {@code minimumAmount}. */
    MINIMUM_ADJUSTMENT,
    /** What brings the period down to {@code maximumAmount} (negative). */
    MAXIMUM_ADJUSTMENT;

    /** The JSON spelling: {@code flat_fee}, {@code tier}, {@code minimum_adjustment}, … */
    public String wireName() {
        return WireNames.of(this);
    }
}
