package dev.tally.billing.entitlement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.util.Map;

/** The JSON of entitlements and of their values; members of another type than the entitlement's are null. */
public final class EntitlementViews {

    private EntitlementViews() {}

    /** An entitlement as created: {@code limit}, {@code usagePeriod}, {@code hardLimit}, {@code enabled}, {@code config} by type. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EntitlementView(
            String id,
            String customer,
            String feature,
            String type,
            String limit,
            String usagePeriod,
            Boolean hardLimit,
            Boolean enabled,
            Map<String, String> config,
            String createdAt) {}

    /**
     * Whether the customer has access now, and for a metered entitlement the usage of its current period
     * ({@code periodStart} to {@code resetsAt}), what remains below the limit and by how much it is over, and how
     * much of metering's live usage the figure holds ({@code liveUsage}: {@code included}, {@code excluded} for a
     * distinct count metering cannot count exactly, {@code unavailable} when metering did not answer).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ValueView(
            String customer,
            String feature,
            String type,
            boolean hasAccess,
            String usage,
            String limit,
            String remaining,
            String overage,
            Boolean hardLimit,
            String usagePeriod,
            String periodStart,
            String resetsAt,
            Boolean enabled,
            Map<String, String> config,
            String asOf,
            String liveUsage) {}

    static EntitlementView of(Entitlement entitlement) {
        return new EntitlementView(
                entitlement.id(),
                entitlement.customerId(),
                entitlement.featureKey(),
                entitlement.type().text(),
                decimal(entitlement.limit()),
                entitlement.period() == null ? null : entitlement.period().text(),
                entitlement.hardLimit(),
                entitlement.enabled(),
                entitlement.config(),
                entitlement.createdAt().toString());
    }

    static ValueView of(Entitlements.Answer answer) {
        EntitlementValue value = answer.value();
        Entitlement entitlement = value.entitlement();
        return new ValueView(
                answer.customer().id(),
                entitlement.featureKey(),
                entitlement.type().text(),
                value.hasAccess(),
                decimal(value.usage()),
                decimal(entitlement.limit()),
                decimal(value.remaining()),
                decimal(value.overage()),
                entitlement.hardLimit(),
                entitlement.period() == null ? null : entitlement.period().text(),
                value.period() == null ? null : value.period().from().toString(),
                value.period() == null ? null : value.period().to().toString(),
                entitlement.enabled(),
                entitlement.config(),
                answer.asOf().toString(),
                answer.live() == null ? null : answer.live().text());
    }

    /** A quantity as the API writes quantities: plain, without trailing zeros. */
    private static String decimal(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
