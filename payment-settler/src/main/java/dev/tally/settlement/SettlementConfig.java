package dev.tally.settlement;

import dev.tally.settlement.request.SettlementAsset;
import dev.tally.settlement.watch.StellarPayments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up checks of the settings that bean validation cannot express. */
final class SettlementConfig {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementConfig.class);

    private SettlementConfig() {}

    /** The settlement asset; fails on a malformed code or a missing or malformed issuer. */
    static SettlementAsset asset(SettlementSettings settings) {
        String issuer =
                settings.assetIssuer() == null || settings.assetIssuer().isBlank() ? null : settings.assetIssuer();
        return new SettlementAsset(settings.assetCode(), issuer);
    }

    static void checkReceivingAccount(SettlementSettings settings) {
        if (!StellarAccounts.isAccountId(settings.receivingAccount())) {
            throw new SettlementException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "tally.settlement.receiving-account must be a Stellar account id (G...): "
                            + settings.receivingAccount());
        }
    }

    /**
     * Refuses to start against a Horizon of another network (payments there would never be the
     * ones asked for); a Horizon that cannot be reached now is only logged, the watcher retries.
     */
    static void checkNetwork(SettlementSettings settings, StellarPayments stellar) {
        String served;
        try {
            served = stellar.networkPassphrase();
        } catch (SettlementException e) {
            LOG.warn("cannot check the network of {} now: {}", settings.horizonUrl(), e.getMessage());
            return;
        }
        if (!settings.networkPassphrase().equals(served)) {
            throw new SettlementException(
                    ErrorCode.NETWORK_MISMATCH,
                    settings.horizonUrl() + " serves \"" + served + "\", not tally.settlement.network-passphrase \""
                            + settings.networkPassphrase() + "\"");
        }
    }
}
