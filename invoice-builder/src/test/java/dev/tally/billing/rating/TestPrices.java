package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.List;

/** Price definitions for the tables, written as briefly as a plan reads: {@code graduated(tier("1000", "0.10", "5"), …)}. */
final class TestPrices {

    private TestPrices() {}

    static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    static Tier tier(String upTo, String unitAmount, String flatAmount) {
        return new Tier(dec(upTo), dec(unitAmount), dec(flatAmount));
    }

    static PriceDefinition flat(String flatAmount) {
        return price("USD", new PriceModel.Flat(dec(flatAmount)), BillingTiming.IN_ADVANCE);
    }

    static PriceDefinition flat(String currency, String flatAmount) {
        return price(currency, new PriceModel.Flat(dec(flatAmount)), BillingTiming.IN_ADVANCE);
    }

    static PriceDefinition perUnit(String unitAmount) {
        return perUnit("USD", unitAmount);
    }

    static PriceDefinition perUnit(String currency, String unitAmount) {
        return usage(currency, new PriceModel.PerUnit(dec(unitAmount)));
    }

    static PriceDefinition graduated(Tier... tiers) {
        return usage("USD", new PriceModel.Graduated(List.of(tiers)));
    }

    static PriceDefinition volume(Tier... tiers) {
        return usage("USD", new PriceModel.Volume(List.of(tiers)));
    }

    static PriceDefinition perPackage(String packageSize, String packageAmount) {
        return usage("USD", new PriceModel.PerPackage(dec(packageSize), dec(packageAmount)));
    }

    static PriceDefinition percentage(String rate, String fixedAmountPerEvent) {
        return usage("USD", new PriceModel.Percentage(dec(rate), dec(fixedAmountPerEvent)));
    }

    /** {@code price} with these usage terms (null: none). */
    static PriceDefinition terms(PriceDefinition price, String freeUnits, String minimumAmount, String maximumAmount) {
        return new PriceDefinition(
                price.currency(),
                price.model(),
                dec(freeUnits),
                dec(minimumAmount),
                dec(maximumAmount),
                price.interval(),
                price.intervalCount(),
                price.billingTiming());
    }

    static PriceDefinition free(PriceDefinition price, String freeUnits) {
        return terms(price, freeUnits, null, null);
    }

    private static PriceDefinition usage(String currency, PriceModel model) {
        return price(currency, model, BillingTiming.IN_ARREARS);
    }

    private static PriceDefinition price(String currency, PriceModel model, BillingTiming timing) {
        return new PriceDefinition(currency, model, null, null, null, Interval.MONTH, 1, timing);
    }
}
