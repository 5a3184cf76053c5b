package dev.tally.settlement;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of payment-settler ({@code tally.settlement.*} or {@code TALLY_SETTLEMENT_*}). The
 * settlement asset is taken 1:1 for the invoice currency's main unit (1 USDC = 1 USD).
 *
 * @param horizonUrl the Horizon server watched for payments (testnet by default)
 * @param networkPassphrase the Stellar network Horizon must serve; put in SEP-7 URIs unless public
 * @param receivingAccount the account ({@code G...}) that receives invoice payments; required
 * @param assetCode the settlement asset's code, or {@code XLM} for lumens
 * @param assetIssuer the settlement asset's issuer ({@code G...}); required unless the asset is XLM
 * @param pollInterval pause between two Horizon polls once the account's payments are caught up
 * @param pageLimit payments read per Horizon request (Horizon allows at most 200)
 * @param consumerGroup the consumer group (and key of the stored offsets) of invoice-events
 * @param outboxPollInterval how often the outbox relay looks for rows nobody woke it up for
 * @param outboxBatchSize rows published per relay round
 * @param retryBackoff pause before a failed batch, poll or relay round is retried
 * @param workersEnabled whether the consumer, the Horizon watcher and the relay run
 */
@ConfigurationProperties("tally.settlement")
public record SettlementSettings(
        @Bindable(defaultValue = "https://horizon-testnet.stellar.org") @NotBlank String horizonUrl,
        @Bindable(defaultValue = "Test SDF Network ; September 2015") @NotBlank String networkPassphrase,
        @NotBlank String receivingAccount,
        @Bindable(defaultValue = "USDC") @NotBlank String assetCode,
        @Bindable(defaultValue = "") String assetIssuer,
        @Bindable(defaultValue = "5s") @NotNull Duration pollInterval,
        @Bindable(defaultValue = "200") @Min(1) @Max(200) int pageLimit,
        @Bindable(defaultValue = "tally-settlement") @NotBlank String consumerGroup,
        @Bindable(defaultValue = "200ms") @NotNull Duration outboxPollInterval,
        @Bindable(defaultValue = "500") @Min(1) int outboxBatchSize,
        @Bindable(defaultValue = "1s") @NotNull Duration retryBackoff,
        @Bindable(defaultValue = "true") boolean workersEnabled) {

    /** The PostgreSQL schema payment-settler owns. */
    public static final String SCHEMA = "settlement";
}
