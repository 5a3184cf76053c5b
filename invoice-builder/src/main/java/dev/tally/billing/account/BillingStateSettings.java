package dev.tally.billing.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the billing-state worker ({@code tally.billing.billing-state.*} or {@code
 * TALLY_BILLING_BILLING_STATE_*}).
 *
 * @param enabled whether the worker runs (it also needs {@code tally.billing.workers-enabled})
 * @param interval the pause after a round found no (more) customer to move; a customer becomes overdue or
 *     suspended at most about this late (a payment returns it to active at once)
 * @param batchSize the most customers one round moves, together in one transaction
 */
@ConfigurationProperties("tally.billing.billing-state")
public record BillingStateSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1m") @NotNull Duration interval,
        @Bindable(defaultValue = "100") @Min(1) int batchSize) {}
