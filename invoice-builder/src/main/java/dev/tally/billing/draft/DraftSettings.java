package dev.tally.billing.draft;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the draft finalization worker ({@code tally.billing.drafts.*} or {@code TALLY_BILLING_DRAFTS_*}).
 *
 * @param enabled whether the worker runs (it also needs {@code tally.billing.workers-enabled})
 * @param interval the pause after it found no (more) draft due; a draft finalizes at most about this long after
 *     its {@code autoFinalizeAt}
 * @param batchSize the most drafts one round finalizes, together in one transaction
 */
@ConfigurationProperties("tally.billing.drafts")
public record DraftSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1m") @NotNull Duration interval,
        @Bindable(defaultValue = "100") @Min(1) int batchSize) {}
