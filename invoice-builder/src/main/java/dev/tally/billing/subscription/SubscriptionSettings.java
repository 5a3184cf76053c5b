package dev.tally.billing.subscription;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of subscriptions ({@code tally.billing.subscriptions.*}).
 *
 * @param backdatingLimit how far in the past a subscription may start and an item change or a cancellation
 *     take effect (31 days by default: a month's periods, no more, are re-billed by a late entry)
 */
@ConfigurationProperties("tally.billing.subscriptions")
public record SubscriptionSettings(@Bindable(defaultValue = "31d") @NotNull Duration backdatingLimit) {}
