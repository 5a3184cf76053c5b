package dev.tally.billing.invoicing;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the billing cycle ({@code tally.billing.cycle.*} or {@code TALLY_BILLING_CYCLE_*}).
 *
 * @param enabled whether the cycle worker runs (it also needs {@code tally.billing.workers-enabled})
 * @param interval the pause after the worker found nothing (more) due, before it looks again
 * @param batchSize the most subscriptions one round claims and bills, together in one transaction
 * @param threads how many rounds run side by side (each claims its own batch): two use both of two cores, the
 *     database's and this process's work overlapping
 * @param retryDelay how long a subscription whose bill failed (usage not complete yet, an amount too large)
 *     waits before it is tried again, so that it never holds back the others
 */
@ConfigurationProperties("tally.billing.cycle")
public record BillingCycleSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "5s") @NotNull Duration interval,
        @Bindable(defaultValue = "100") @Min(1) int batchSize,
        @Bindable(defaultValue = "2") @Min(1) int threads,
        @Bindable(defaultValue = "1m") @NotNull Duration retryDelay) {}
