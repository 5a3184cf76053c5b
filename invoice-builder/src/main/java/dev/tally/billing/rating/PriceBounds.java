package dev.tally.billing.rating;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.DecimalText;
import java.math.BigDecimal;

/** The bounds of a price's parameters, read by the project's one decimal parser ({@link DecimalText}). */
public final class PriceBounds {

    /** Amounts are held at this scale (the catalog's {@code numeric(24, 9)} unit amounts). */
    public static final int AMOUNT_SCALE = 9;

    /**
     * Every amount of a price ({@code unitAmount}, {@code flatAmount}, {@code packageAmount}, {@code
     * fixedAmountPerEvent}, {@code minimumAmount}, {@code maximumAmount}, a tier's amounts): not
     * negative, below 10^12 of the currency's major unit, at most 9 decimal places. One event's
     * largest quantity (below 10^15, 9 places) times the largest amount is below 10^27 with 18
     * places: exact and cheap in BigDecimal; whether a line fits the bigint minor units is checked
     * when it is rated.
     */
    public static final DecimalText.Bounds AMOUNT = new DecimalText.Bounds(12, AMOUNT_SCALE, false);

    /**
     * A price's quantities ({@code upTo}, {@code packageSize}, {@code freeUnits}): not negative, at
     * most 9 decimal places ({@link Decimals#QUANTITY_SCALE}), below 10^20. They bound a period's
     * usage, which sums many events (each below 10^15), so they may exceed one event's bound; 10^20
     * is far past any edge a plan names and fits the ledger's {@code numeric(38, 9)} quantities.
     */
    public static final DecimalText.Bounds QUANTITY = new DecimalText.Bounds(20, Decimals.QUANTITY_SCALE, false);

    /** The scale of {@code rate}, a percentage. */
    public static final int RATE_SCALE = 9;

    /** {@code rate}: a percentage from 0 to {@link #MAX_RATE}, at most 9 decimal places. */
    public static final DecimalText.Bounds RATE = new DecimalText.Bounds(3, RATE_SCALE, false);

    /** The largest {@code rate}: 100 percent (a percentage price never bills more than the volume). */
    public static final BigDecimal MAX_RATE = BigDecimal.valueOf(100);

    /** The most tiers one price holds. */
    public static final int MAX_TIERS = 100;

    private PriceBounds() {}
}
