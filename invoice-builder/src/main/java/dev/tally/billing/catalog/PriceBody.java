package dev.tally.billing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceInput;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.Tier;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.util.List;

/**
 * A price's definition in the fields of {@code POST /v1/prices} (the contract), decimals as strings:
 * what the request gives and, canonical ({@link #of}), what {@code billing.prices.definition}
 * stores and a price's view shows. {@link #input} hands it to the rating package's validator, the one reading of a price.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceBody(
        @Nullable String currency,
        @Nullable String model,
        @Nullable String flatAmount,
        @Nullable String unitAmount,
        @Nullable List<TierBody> tiers,
        @Nullable String packageSize,
        @Nullable String packageAmount,
        @Nullable String rate,
        @Nullable String fixedAmountPerEvent,
        @Nullable String freeUnits,
        @Nullable String minimumAmount,
        @Nullable String maximumAmount,
        @Nullable String interval,
        @Nullable Integer intervalCount,
        @Nullable String billingTiming) {

    /** One tier; {@code upTo} absent or null is the open last tier. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TierBody(@Nullable String upTo, @Nullable String unitAmount, @Nullable String flatAmount) {}

    /** The canonical body of a valid price: every decimal at its stored scale, only the model's fields. */
    static PriceBody of(PriceDefinition price) {
        String flatAmount = null;
        String unitAmount = null;
        List<TierBody> tiers = null;
        String packageSize = null;
        String packageAmount = null;
        String rate = null;
        String fixedAmountPerEvent = null;
        switch (price.model()) {
            case PriceModel.Flat flat -> flatAmount = plain(flat.flatAmount());
            case PriceModel.PerUnit perUnit -> unitAmount = plain(perUnit.unitAmount());
            case PriceModel.Graduated graduated -> tiers = tiers(graduated.tiers());
            case PriceModel.Volume volume -> tiers = tiers(volume.tiers());
            case PriceModel.PerPackage pack -> {
                packageSize = plain(pack.packageSize());
                packageAmount = plain(pack.packageAmount());
            }
            case PriceModel.Percentage percentage -> {
                rate = plain(percentage.rate());
                fixedAmountPerEvent = plain(percentage.fixedAmountPerEvent());
            }
        }
        return new PriceBody(
                price.currency(),
                price.model().kind().wireName(),
                flatAmount,
                unitAmount,
                tiers,
                packageSize,
                packageAmount,
                rate,
                fixedAmountPerEvent,
                plain(price.freeUnits()),
                plain(price.minimumAmount()),
                plain(price.maximumAmount()),
                price.interval() == null ? null : price.interval().wireName(),
                price.intervalCount(),
                price.billingTiming().wireName());
    }

    private static List<TierBody> tiers(List<Tier> tiers) {
        return tiers.stream()
                .map(t -> new TierBody(plain(t.upTo()), plain(t.unitAmount()), plain(t.flatAmount())))
                .toList();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    PriceInput input() {
        return new PriceInput(
                currency,
                model,
                flatAmount,
                unitAmount,
                tiers == null
                        ? null
                        : tiers.stream()
                                .map(t -> t == null
                                        ? null
                                        : new PriceInput.TierInput(t.upTo(), t.unitAmount(), t.flatAmount()))
                                .toList(),
                packageSize,
                packageAmount,
                rate,
                fixedAmountPerEvent,
                freeUnits,
                minimumAmount,
                maximumAmount,
                interval,
                intervalCount,
                billingTiming);
    }
}
