package dev.tally.billing;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of invoice-builder ({@code tally.billing.*} or {@code TALLY_BILLING_*}).
 *
 * @param adminToken bearer token of the admin endpoints (organizations, API keys); required
 * @param consumerGroup prefix of the consumer groups whose offsets are kept in {@code billing.consumer_offsets}
 * @param outboxPollInterval how often the outbox relay looks for rows nobody woke it up for
 * @param outboxBatchSize rows published per relay round
 * @param retryBackoff pause before a failed batch or relay round is retried
 * @param workersEnabled whether the consumers and the outbox relay run (off only for API-only tests)
 * @param finalityMargin how long past a period's end the usage must be final before the period is
 *     closed: {@code !periodEnd.plus(finalityMargin).isAfter(finalThrough)}
 */
@ConfigurationProperties("tally.billing")
public record BillingSettings(
        @NotBlank String adminToken,
        @Bindable(defaultValue = "tally-billing") @NotBlank String consumerGroup,
        @Bindable(defaultValue = "200ms") @NotNull Duration outboxPollInterval,
        @Bindable(defaultValue = "500") @Min(1) int outboxBatchSize,
        @Bindable(defaultValue = "1s") @NotNull Duration retryBackoff,
        @Bindable(defaultValue = "true") boolean workersEnabled,
        @Bindable(defaultValue = "1m") @NotNull Duration finalityMargin) {

    public BillingSettings {
        if (finalityMargin != null && finalityMargin.isNegative()) {
            // a negative margin would close periods on usage that is not final yet
            throw new IllegalArgumentException(
                    "tally.billing.finality-margin must be zero or positive, was " + finalityMargin);
        }
    }

    /** The PostgreSQL schema invoice-builder owns. */
    public static final String SCHEMA = "billing";
}
