package dev.tally.billing.entitlement;

import io.micronaut.core.annotation.Nullable;
import java.util.Map;

/**
 * The body of {@code POST /v1/customers/{id}/entitlements}: {@code feature} and {@code type} (required); for
 * {@code metered}, {@code limit} (a decimal string, required), {@code usagePeriod} ({@code month} when absent) and
 * {@code hardLimit} ({@code true} when absent); for {@code boolean}, {@code enabled} ({@code true} when absent); for
 * {@code static}, {@code config} (an object of string values, required).
 */
public record EntitlementBody(
        @Nullable String feature,
        @Nullable String type,
        @Nullable String limit,
        @Nullable String usagePeriod,
        @Nullable Boolean hardLimit,
        @Nullable Boolean enabled,
        @Nullable Map<String, String> config) {}
