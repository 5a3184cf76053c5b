package dev.tally.billing.overdue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the overdue worker ({@code tally.billing.overdue.*} or {@code TALLY_BILLING_OVERDUE_*}).
 *
 * @param enabled whether the worker runs (it also needs {@code tally.billing.workers-enabled})
 * @param interval the pause after it found no (more) invoice fallen due; an invoice's OVERDUE event is at most
 *     about this late
 * @param batchSize the most invoices one round marks, together in one transaction
 */
@ConfigurationProperties("tally.billing.overdue")
public record OverdueSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1m") @NotNull Duration interval,
        @Bindable(defaultValue = "100") @Min(1) int batchSize) {}
