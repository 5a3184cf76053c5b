package dev.tally.billing.entitlement;

import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.Metadata;
import dev.tally.billing.rating.PriceBounds;
import dev.tally.billing.web.Inputs;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A checked {@link EntitlementBody}: each member by its rule, a bad one (or one of another type) a 400 naming it.
 * The fields of other types than {@code type} are null.
 */
public record EntitlementRequest(
        String featureKey,
        EntitlementType type,
        BigDecimal limit,
        ResetPeriod period,
        Boolean hardLimit,
        Boolean enabled,
        Map<String, String> config) {

    /** The most members a static entitlement's {@code config} holds. */
    static final int MAX_CONFIG_ENTRIES = 50;

    /** The longest key or value of a {@code config}. */
    static final int MAX_CONFIG_TEXT = 500;

    /** {@code body} checked; a member that does not belong to the body's type is refused, never ignored. */
    public static EntitlementRequest of(EntitlementBody body) {
        String feature = Inputs.feature("feature", body.feature());
        EntitlementType type = EntitlementType.of(Inputs.required("type", body.type()))
                .orElseThrow(() ->
                        BillingException.invalid("type", "type must be one of " + names(EntitlementType.values())));
        if (type != EntitlementType.METERED) {
            refuse("limit", body.limit(), type);
            refuse("usagePeriod", body.usagePeriod(), type);
            refuse("hardLimit", body.hardLimit(), type);
        }
        if (type != EntitlementType.BOOLEAN) {
            refuse("enabled", body.enabled(), type);
        }
        if (type != EntitlementType.STATIC) {
            refuse("config", body.config(), type);
        }
        return switch (type) {
            case METERED ->
                new EntitlementRequest(
                        feature,
                        type,
                        Inputs.decimal("limit", body.limit(), PriceBounds.QUANTITY),
                        period(body.usagePeriod()),
                        body.hardLimit() == null || body.hardLimit(),
                        null,
                        null);
            case BOOLEAN ->
                new EntitlementRequest(feature, type, null, null, null, body.enabled() == null || body.enabled(), null);
            case STATIC -> new EntitlementRequest(feature, type, null, null, null, null, config(body.config()));
        };
    }

    private static ResetPeriod period(String text) {
        if (text == null) {
            return ResetPeriod.MONTH;
        }
        return ResetPeriod.of(text)
                .orElseThrow(() -> BillingException.invalid(
                        "usagePeriod", "usagePeriod must be one of " + names(ResetPeriod.values())));
    }

    private static Map<String, String> config(Map<String, String> config) {
        if (config == null) {
            throw BillingException.invalid("config", "config is required for a static entitlement");
        }
        if (config.size() > MAX_CONFIG_ENTRIES) {
            throw BillingException.invalid("config", "config holds at most " + MAX_CONFIG_ENTRIES + " members");
        }
        config.forEach((key, value) -> {
            Inputs.optionalText("config", key, MAX_CONFIG_TEXT);
            if (value == null) {
                throw BillingException.invalid("config", "config values are strings");
            }
            Inputs.optionalText("config", value, MAX_CONFIG_TEXT);
        });
        return Metadata.sorted(config);
    }

    private static void refuse(String field, Object value, EntitlementType type) {
        if (value != null) {
            throw BillingException.invalid(field, field + " does not apply to a " + type.text() + " entitlement");
        }
    }

    private static String names(Enum<?>[] values) {
        return Arrays.stream(values)
                .map(value -> value.name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
