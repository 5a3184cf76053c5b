package dev.tally.launcher;

import dev.tally.testkit.stellar.FakeHorizon;
import java.math.BigDecimal;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;

/**
 * The simulated Stellar network of the local pipeline: a loopback fake Horizon (real transaction
 * envelopes, real signature checks, state in memory) with an issuer of the settlement asset and a
 * merchant account that receives payments. It starts empty at every launch; point
 * {@code tally.settlement.horizon-url} at a real Horizon to settle on testnet or the public network.
 */
final class LocalStellar implements AutoCloseable {

    static final String ASSET_CODE = "USDC";
    private static final BigDecimal STARTING_XLM = new BigDecimal("10000");

    private final FakeHorizon horizon;
    private final KeyPair issuer;
    private final KeyPair merchant;

    private LocalStellar(FakeHorizon horizon, KeyPair issuer, KeyPair merchant) {
        this.horizon = horizon;
        this.issuer = issuer;
        this.merchant = merchant;
    }

    static LocalStellar start(int port) {
        FakeHorizon horizon = FakeHorizon.start(port);
        KeyPair issuer = horizon.createAccount(STARTING_XLM);
        KeyPair merchant = horizon.createAccount(STARTING_XLM);
        LocalStellar stellar = new LocalStellar(horizon, issuer, merchant);
        horizon.trust(merchant.getAccountId(), stellar.asset());
        return stellar;
    }

    /** The settlement asset: {@value #ASSET_CODE} issued by this network's issuer. */
    Asset asset() {
        return Asset.create(null, ASSET_CODE, issuer.getAccountId());
    }

    /** A new payer account holding {@code amount} of the settlement asset. */
    KeyPair fundedPayer(BigDecimal amount) {
        KeyPair payer = horizon.createAccount(STARTING_XLM);
        horizon.credit(payer.getAccountId(), asset(), amount);
        return payer;
    }

    String horizonUrl() {
        return horizon.url();
    }

    String networkPassphrase() {
        return horizon.network().getNetworkPassphrase();
    }

    String issuerAccount() {
        return issuer.getAccountId();
    }

    String merchantAccount() {
        return merchant.getAccountId();
    }

    BigDecimal merchantBalance() {
        return horizon.balance(merchant.getAccountId(), asset());
    }

    @Override
    public void close() {
        horizon.close();
    }
}
