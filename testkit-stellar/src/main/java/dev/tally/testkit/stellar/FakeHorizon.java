package dev.tally.testkit.stellar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockWebServer;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;

/**
 * A loopback fake of Stellar's Horizon server that the real Stellar SDK ({@code org.stellar.sdk.Server})
 * talks to unchanged. It keeps real state: accounts with native and credit balances, trustlines and
 * sequence numbers; the transactions that entered a ledger (by hash, so a resubmitted envelope is
 * answered from history and never applied twice); and the payments they made, paged by paging token.
 *
 * <p>A submitted envelope is decoded with the SDK; every signature is verified against the source
 * accounts' keys over the transaction hash of {@link #network()} (so an envelope signed for another
 * network fails with {@code tx_bad_auth}); sequence ({@code tx_bad_seq}), fee and time bounds are
 * checked; Payment, path payments (strict send and receive, converted at {@link #setRate}), CreateAccount and
 * ChangeTrust operations are applied all-or-nothing, with
 * {@code op_underfunded}, {@code op_no_destination}, {@code op_no_trust}, {@code op_line_full}, ... as
 * stellar-core reports them. As on Stellar, a transaction whose operation fails ({@code tx_failed})
 * still consumes its sequence number and fee; one refused before that (bad auth, bad sequence) does
 * not. Other operations fail with {@code op_not_supported}.
 *
 * <p>Served: {@code GET /}, {@code /accounts/{id}}, {@code /accounts/{id}/payments},
 * {@code /accounts/{id}/transactions}, {@code /payments}, {@code /transactions},
 * {@code /transactions/{hash}}, {@code /transactions/{hash}/payments}, {@code /fee_stats} and
 * {@code POST /transactions}; lists take {@code cursor}, {@code order}, {@code limit} and, for payments,
 * {@code join=transactions}. Each transaction closes its own ledger; ledger numbers (and so paging
 * tokens) start from the clock, one per second since 2020, so they keep growing across restarts of
 * the fake as a real network's do.
 *
 * <p>Muxed ({@code M...}) sources and destinations are accepted: value and sequence belong to the {@code G...}
 * account behind them, and payments show the muxed address and id as Horizon does ({@code to_muxed}, {@code
 * to_muxed_id}, {@code from_muxed}, {@code from_muxed_id}).
 *
 * <p>Accounts made through this class's own methods (not through a transaction) record no operation.
 */
public final class FakeHorizon implements AutoCloseable {

    private final MockWebServer server;
    private final FakeLedger ledger;
    private final HorizonFaults faults;

    private FakeHorizon(MockWebServer server, FakeLedger ledger, HorizonFaults faults) {
        this.server = server;
        this.ledger = ledger;
        this.faults = faults;
    }

    /** Starts a fake on a free loopback port, for tests. */
    public static FakeHorizon start() {
        return start(0);
    }

    /** Starts a fake on loopback {@code port} (0 for a free one), e.g. a fixed port for a local demo. */
    public static FakeHorizon start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** Starts a fake whose ledgers close at {@code clock}'s time (also used for time bounds). */
    public static FakeHorizon start(int port, Clock clock) {
        // MockWebServer logs every request at INFO through java.util.logging.
        Logger.getLogger(MockWebServer.class.getName()).setLevel(Level.WARNING);
        MockWebServer server = new MockWebServer();
        FakeLedger ledger = new FakeLedger(Network.TESTNET, clock);
        try {
            server.start(InetAddress.getLoopbackAddress(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Horizon on port " + port, e);
        }
        HorizonFaults faults = new HorizonFaults();
        server.setDispatcher(new HorizonDispatcher(ledger, server, faults));
        return new FakeHorizon(server, ledger, faults);
    }

    /** The base URL to give {@code new Server(url)}, without a trailing slash. */
    public String url() {
        return stripSlash(server.url("/").toString());
    }

    /** The loopback port the fake listens on. */
    public int port() {
        return server.getPort();
    }

    /** The network envelopes must be signed for: Stellar's testnet passphrase. */
    public Network network() {
        return ledger.network();
    }

    /** The faults to arm for the next requests: late or lost answers to submissions, rate limiting. */
    public HorizonFaults faults() {
        return faults;
    }

    /** Creates a funded account with a random key pair (as friendbot would) and returns the key pair. */
    public KeyPair createAccount(BigDecimal xlm) {
        return createAccount(KeyPair.random(), xlm);
    }

    /** Creates the account of {@code keyPair} holding {@code xlm} lumens; returns the same key pair. */
    public KeyPair createAccount(KeyPair keyPair, BigDecimal xlm) {
        ledger.createAccount(keyPair.getAccountId(), xlm);
        return keyPair;
    }

    /**
     * Adds {@code amount} of {@code asset} to an existing account, first opening a trustline (with the
     * maximum limit) if it has none. {@code credit(id, asset, ZERO)} just opens the trustline.
     */
    public void credit(String accountId, Asset asset, BigDecimal amount) {
        ledger.credit(accountId, asset, amount);
    }

    /** Opens a trustline to {@code asset} (as a ChangeTrust would), with no balance yet. */
    public void trust(String accountId, Asset asset) {
        ledger.credit(accountId, asset, BigDecimal.ZERO);
    }

    /**
     * Opens a market from {@code sent} to {@code delivered} at {@code deliveredPerSent}, of unlimited depth, for
     * path payments (the fake has no order book: whatever path a payment names, it converts at this rate, rounding
     * to the payer's disadvantage: a strict send delivers the stroops below, a strict receive costs the stroops
     * above). Between the same asset no market is needed. Without one, a path payment fails with {@code
     * op_too_few_offers}.
     */
    public void setRate(Asset sent, Asset delivered, BigDecimal deliveredPerSent) {
        ledger.setRate(sent, delivered, deliveredPerSent);
    }

    /** Marks an account as requiring a memo on incoming payments (SEP-29 {@code config.memo_required}). */
    public void requireMemo(String accountId) {
        ledger.putData(accountId, "config.memo_required", "MQ==");
    }

    /** The account's balance of {@code asset} at scale 7; zero if it has no trustline to it. */
    public BigDecimal balance(String accountId, Asset asset) {
        return ledger.balance(accountId, asset).orElse(Amounts.ZERO);
    }

    /** Whether the account exists. */
    public boolean hasAccount(String accountId) {
        return ledger.account(accountId).isPresent();
    }

    /** The account's current sequence number. */
    public long sequence(String accountId) {
        return ledger.account(accountId)
                .orElseThrow(() -> new IllegalArgumentException("no such account: " + accountId))
                .sequence;
    }

    /** The payments (and account creations) the account sent or received, oldest first. */
    public List<FakePayment> payments(String accountId) {
        return ledger.payments().stream().filter(p -> p.involves(accountId)).toList();
    }

    /** How many transactions were applied successfully (a resubmitted envelope counts once). */
    public long appliedTransactionCount() {
        return ledger.appliedTransactionCount();
    }

    /** Stops serving and releases the port. */
    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the fake Horizon", e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
