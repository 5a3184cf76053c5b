package dev.tally.billing.rating;

import dev.tally.billing.rating.PriceInput.TierInput;
import java.util.Arrays;
import java.util.List;

/** A request body, built field by field; each row changes what it tests. */
final class PriceRequest {
    private String currency = "USD";
    private String model;
    private String flatAmount;
    private String unitAmount;
    private List<TierInput> tiers;
    private String packageSize;
    private String packageAmount;
    private String rate;
    private String fixedAmountPerEvent;
    private String freeUnits;
    private String minimumAmount;
    private String maximumAmount;
    private String interval = "month";
    private Integer intervalCount;
    private String billingTiming;

    static PriceRequest of(String model) {
        PriceRequest input = new PriceRequest();
        input.model = model;
        return input;
    }

    static PriceRequest perUnit() {
        return of("per_unit").unitAmount("0.10");
    }

    static PriceRequest graduated(TierInput... tiers) {
        return of("graduated").tiers(Arrays.asList(tiers));
    }

    static PriceRequest oneTimeFlat() {
        return of("flat").flatAmount("49").interval(null);
    }

    PriceRequest currency(String value) {
        currency = value;
        return this;
    }

    PriceRequest flatAmount(String value) {
        flatAmount = value;
        return this;
    }

    PriceRequest unitAmount(String value) {
        unitAmount = value;
        return this;
    }

    PriceRequest tiers(List<TierInput> value) {
        tiers = value;
        return this;
    }

    PriceRequest packageSize(String value) {
        packageSize = value;
        return this;
    }

    PriceRequest packageAmount(String value) {
        packageAmount = value;
        return this;
    }

    PriceRequest rate(String value) {
        rate = value;
        return this;
    }

    PriceRequest fixedAmountPerEvent(String value) {
        fixedAmountPerEvent = value;
        return this;
    }

    PriceRequest freeUnits(String value) {
        freeUnits = value;
        return this;
    }

    PriceRequest minimumAmount(String value) {
        minimumAmount = value;
        return this;
    }

    PriceRequest maximumAmount(String value) {
        maximumAmount = value;
        return this;
    }

    PriceRequest interval(String value) {
        interval = value;
        return this;
    }

    PriceRequest intervalCount(Integer value) {
        intervalCount = value;
        return this;
    }

    PriceRequest billingTiming(String value) {
        billingTiming = value;
        return this;
    }

    PriceInput build() {
        return new PriceInput(
                currency,
                model,
                flatAmount,
                unitAmount,
                tiers,
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

    @Override
    public String toString() {
        return build().toString();
    }
}
