package dev.tally.billing.rating;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Rates one period of one price, pure: {@code (price, quantity, eventCount) → }{@link RatedUsage}.
 * The quote endpoint and invoice planning both call {@link #rate}, so a quote is what the invoice
 * line will say.
 *
 * <p>All arithmetic is exact; the amount is rounded to the currency's minor unit once, HALF_EVEN,
 * for the whole period ({@link Currencies#toMinor}), so the breakdown's exact parts add up to the
 * exact amount and their roundings never accumulate.
 *
 * <p>How each model rates the billable quantity {@code b} (the quantity less {@code freeUnits},
 * never below zero):
 *
 * <ul>
 *   <li>{@code flat}: quantity × {@code flatAmount}; the quantity is the licensed quantity (seats; 1
 *       for a plain fee), and free units, minimum and maximum do not apply;
 *   <li>{@code per_unit}: b × {@code unitAmount};
 *   <li>{@code graduated}: each tier prices the units inside it: tier i holds the units above tier
 *       i-1's {@code upTo} up to and including its own. A tier's {@code flatAmount} is added once when
 *       usage reaches it: tier 0 always (zero usage is in the first tier), tier i &gt; 0 when b
 *       exceeds tier i-1's {@code upTo};
 *   <li>{@code volume}: all of b at the first tier whose {@code upTo} is at least b (b = 0 is in tier
 *       0), plus that tier's {@code flatAmount};
 *   <li>{@code package}: ⌈b / {@code packageSize}⌉ started packages × {@code packageAmount} (b = 0 is
 *       no package);
 *   <li>{@code percentage}: b × {@code rate} / 100, plus {@code eventCount} × {@code
 *       fixedAmountPerEvent} (free units reduce the quantity, not the events).
 * </ul>
 *
 * Then, for usage models, the period's total is raised to {@code minimumAmount} (at zero usage too)
 * or capped at {@code maximumAmount}, each by an adjustment part.
 */
public final class PriceRater {

    private PriceRater() {}

    /**
     * What {@code price} charges for one period with {@code quantity} (the period's summed usage, or
     * the licensed quantity of a flat price) and {@code eventCount} (the events behind it; only
     * {@code fixedAmountPerEvent} reads it).
     *
     * @throws IllegalArgumentException if {@code quantity} is negative or has more than 9 decimal
     *     places, or {@code eventCount} is negative
     * @throws Currencies.MinorUnitsOverflowException if the amount does not fit {@code long} minor
     *     units (that line cannot be invoiced)
     */
    public static RatedUsage rate(PriceDefinition price, BigDecimal quantity, long eventCount) {
        BigDecimal units = checkedQuantity(quantity);
        if (eventCount < 0) {
            throw new IllegalArgumentException("eventCount must not be negative");
        }
        int digits = Currencies.minorDigits(price.currency());
        Parts parts = new Parts(digits);
        if (price.model() instanceof PriceModel.Flat flat) {
            parts.add(PartKind.FLAT_FEE, null, units, flat.flatAmount());
        } else {
            BigDecimal billable = takeFreeUnits(price.freeUnits(), units, parts);
            rateUsage(price.model(), billable, eventCount, parts);
            limit(price.minimumAmount(), price.maximumAmount(), parts);
        }
        BigDecimal amount = parts.total();
        return new RatedUsage(price.currency(), amount, Currencies.toMinor(amount, price.currency()), parts.list());
    }

    private static BigDecimal checkedQuantity(BigDecimal quantity) {
        if (quantity.signum() < 0) {
            throw new IllegalArgumentException("quantity must not be negative");
        }
        try {
            return Decimals.quantity(quantity);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "quantity must have at most " + Decimals.QUANTITY_SCALE + " decimal places");
        }
    }

    private static BigDecimal takeFreeUnits(BigDecimal freeUnits, BigDecimal units, Parts parts) {
        if (freeUnits == null || freeUnits.signum() == 0) {
            return units;
        }
        BigDecimal free = units.min(freeUnits);
        parts.addAmount(PartKind.FREE_UNITS, null, free, null, BigDecimal.ZERO);
        return units.subtract(free);
    }

    private static void rateUsage(PriceModel model, BigDecimal billable, long eventCount, Parts parts) {
        switch (model) {
            case PriceModel.Flat flat -> throw new IllegalStateException("a flat fee is not usage");
            case PriceModel.PerUnit perUnit -> parts.add(PartKind.UNITS, null, billable, perUnit.unitAmount());
            case PriceModel.Graduated graduated -> graduated(graduated.tiers(), billable, parts);
            case PriceModel.Volume volume -> volume(volume.tiers(), billable, parts);
            case PriceModel.PerPackage perPackage -> {
                BigDecimal packages = billable.divide(perPackage.packageSize(), 0, RoundingMode.CEILING);
                parts.add(PartKind.PACKAGE, null, packages, perPackage.packageAmount());
            }
            case PriceModel.Percentage percentage -> {
                parts.add(PartKind.PERCENTAGE, null, billable, percentage.rate().movePointLeft(2));
                if (percentage.fixedAmountPerEvent() != null) {
                    parts.add(
                            PartKind.FIXED_PER_EVENT,
                            null,
                            BigDecimal.valueOf(eventCount),
                            percentage.fixedAmountPerEvent());
                }
            }
        }
    }

    private static void graduated(List<Tier> tiers, BigDecimal billable, Parts parts) {
        BigDecimal lower = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            // upTo is inclusive: usage equal to the previous tier's upTo has not reached this one
            if (i > 0 && billable.compareTo(lower) <= 0) {
                return;
            }
            Tier tier = tiers.get(i);
            BigDecimal upper = tier.isOpen() ? billable : billable.min(tier.upTo());
            tierParts(i, tier, upper.subtract(lower), parts);
            if (tier.isOpen()) {
                return;
            }
            lower = tier.upTo();
        }
    }

    private static void volume(List<Tier> tiers, BigDecimal billable, Parts parts) {
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            if (tier.isOpen() || billable.compareTo(tier.upTo()) <= 0) {
                tierParts(i, tier, billable, parts);
                return;
            }
        }
    }

    private static void tierParts(int index, Tier tier, BigDecimal units, Parts parts) {
        BigDecimal unitAmount = tier.unitAmount() == null ? BigDecimal.ZERO : tier.unitAmount();
        parts.add(PartKind.TIER, index, units, unitAmount);
        if (tier.flatAmount() != null) {
            parts.add(PartKind.TIER_FLAT_FEE, index, BigDecimal.ONE, tier.flatAmount());
        }
    }

    private static void limit(BigDecimal minimum, BigDecimal maximum, Parts parts) {
        BigDecimal subtotal = parts.total();
        if (minimum != null && subtotal.compareTo(minimum) < 0) {
            parts.addAmount(PartKind.MINIMUM_ADJUSTMENT, null, null, null, minimum.subtract(subtotal));
        } else if (maximum != null && subtotal.compareTo(maximum) > 0) {
            parts.addAmount(PartKind.MAXIMUM_ADJUSTMENT, null, null, null, maximum.subtract(subtotal));
        }
    }

    /** The parts so far and their exact sum. */
    private static final class Parts {
        private final int minorDigits;
        private final List<RatedPart> list = new ArrayList<>();
        private BigDecimal total = BigDecimal.ZERO;

        Parts(int minorDigits) {
            this.minorDigits = minorDigits;
        }

        void add(PartKind kind, Integer tierIndex, BigDecimal quantity, BigDecimal unitAmount) {
            addAmount(kind, tierIndex, quantity, unitAmount, quantity.multiply(unitAmount));
        }

        void addAmount(
                PartKind kind, Integer tierIndex, BigDecimal quantity, BigDecimal unitAmount, BigDecimal amount) {
            BigDecimal scaledQuantity = quantity == null ? null : Decimals.quantity(quantity);
            list.add(new RatedPart(kind, tierIndex, scaledQuantity, unitAmount, tidy(amount)));
            total = total.add(amount);
        }

        BigDecimal total() {
            return tidy(total);
        }

        List<RatedPart> list() {
            return list;
        }

        /** The same value without trailing zeros, but with at least the currency's minor digits. */
        private BigDecimal tidy(BigDecimal amount) {
            BigDecimal stripped = amount.stripTrailingZeros();
            return stripped.scale() < minorDigits ? stripped.setScale(minorDigits) : stripped;
        }
    }
}
