package dev.tally.billing.export;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the CSV exports ({@code tally.billing.exports.*} or {@code TALLY_BILLING_EXPORTS_*}).
 *
 * @param maxRange the longest {@code [from, to)} an export may ask for (366 days by default: a year, leap or
 *     not); a longer one is a 400 naming {@code to}
 * @param fetchSize rows PostgreSQL sends per round trip of the export's cursor: what bounds the memory an
 *     export holds, whatever its length
 */
@ConfigurationProperties("tally.billing.exports")
public record ExportSettings(
        @Bindable(defaultValue = "366d") @NotNull Duration maxRange,
        @Bindable(defaultValue = "1000") @Min(1) int fetchSize) {}
