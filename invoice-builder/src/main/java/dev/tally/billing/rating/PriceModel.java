package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a price turns a quantity into an amount: one record per {@code model}, holding exactly the
 * parameters that model uses (their names are the JSON fields'). Amounts are in the currency's
 * major unit; every amount and quantity is exact. {@link PriceRater} states how each is rated.
 */
public sealed interface PriceModel {

    /** The {@code model} of the JSON contract. */
    enum Kind {
        FLAT,
        PER_UNIT,
        GRADUATED,
        VOLUME,
        PACKAGE,
        PERCENTAGE;

        /** The JSON spelling: {@code flat}, {@code per_unit}, {@code graduated}, … */
        public String wireName() {
            return WireNames.of(this);
        }

        /** The model spelled {@code text} exactly, if any. */
        public static Optional<Kind> fromWireName(String text) {
            return WireNames.parse(Kind.class, text);
        }

        /** Whether this model rates usage (every model but {@link #FLAT}). */
        public boolean ratesUsage() {
            return this != FLAT;
        }
    }

    /** The {@code model} this record is. */
    Kind kind();

    /** A fixed fee per period or once, times the licensed quantity (e.g. seats; 1 for a plain fee). */
    record Flat(BigDecimal flatAmount) implements PriceModel {
        public Flat {
            Invariants.nonNegative("flatAmount", flatAmount);
        }

        @Override
        public Kind kind() {
            return Kind.FLAT;
        }
    }

    /** Every unit at {@code unitAmount}. */
    record PerUnit(BigDecimal unitAmount) implements PriceModel {
        public PerUnit {
            Invariants.nonNegative("unitAmount", unitAmount);
        }

        @Override
        public Kind kind() {
            return Kind.PER_UNIT;
        }
    }

    /** Each tier prices the units inside it, plus its flat fee once usage reaches it. */
    record Graduated(List<Tier> tiers) implements PriceModel {
        public Graduated {
            tiers = checkedTiers(tiers);
        }

        @Override
        public Kind kind() {
            return Kind.GRADUATED;
        }
    }

    /** Every unit at the tier the total lands in, plus that tier's flat fee. */
    record Volume(List<Tier> tiers) implements PriceModel {
        public Volume {
            tiers = checkedTiers(tiers);
        }

        @Override
        public Kind kind() {
            return Kind.VOLUME;
        }
    }

    /** {@code packageAmount} for every started package of {@code packageSize} units. */
    record PerPackage(BigDecimal packageSize, BigDecimal packageAmount) implements PriceModel {
        public PerPackage {
            Objects.requireNonNull(packageSize, "packageSize");
            Invariants.require(packageSize.signum() > 0, "packageSize must be positive");
            Invariants.nonNegative("packageAmount", packageAmount);
        }

        @Override
        public Kind kind() {
            return Kind.PACKAGE;
        }
    }

    /**
     * {@code rate} percent of the quantity (e.g. the summed transaction amounts), plus {@code
     * fixedAmountPerEvent} (null when none) for each event.
     */
    record Percentage(BigDecimal rate, BigDecimal fixedAmountPerEvent) implements PriceModel {
        public Percentage {
            Invariants.nonNegative("rate", rate);
            Invariants.require(rate.compareTo(PriceBounds.MAX_RATE) <= 0, "rate must not exceed 100");
            Invariants.nonNegativeOrNull("fixedAmountPerEvent", fixedAmountPerEvent);
        }

        @Override
        public Kind kind() {
            return Kind.PERCENTAGE;
        }
    }

    private static List<Tier> checkedTiers(List<Tier> tiers) {
        List<Tier> copy = List.copyOf(tiers);
        Invariants.require(!copy.isEmpty(), "a tiered price needs at least one tier");
        Invariants.require(copy.getLast().isOpen(), "the last tier must be open");
        for (int i = 1; i < copy.size(); i++) {
            Invariants.require(!copy.get(i - 1).isOpen(), "only the last tier may be open");
            Invariants.require(
                    copy.get(i).isOpen()
                            || copy.get(i).upTo().compareTo(copy.get(i - 1).upTo()) > 0,
                    "tiers must ascend strictly");
        }
        return copy;
    }
}
