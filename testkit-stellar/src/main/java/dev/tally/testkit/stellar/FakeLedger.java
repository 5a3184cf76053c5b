package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stellar.sdk.Asset;
import org.stellar.sdk.Network;

/**
 * The fake network's state: accounts, the transactions that entered a ledger and the payments they
 * made. Every method is synchronized: Horizon requests arrive on several server threads.
 */
final class FakeLedger {

    /**
     * Ledger numbers start at the seconds elapsed since 2020-01-01, so that, like a real network's,
     * they keep growing across restarts of the fake: a consumer's stored paging token (ledger in
     * its top bits) stays behind the payments of a restarted fake as long as it applied fewer
     * transactions than seconds passed.
     */
    private static final long LEDGER_EPOCH_SECOND = 1_577_836_800L;

    private final Network network;
    private final Clock clock;
    private final Map<String, FakeAccount> accounts = new LinkedHashMap<>();
    private final Map<String, AppliedTransaction> transactions = new LinkedHashMap<>();
    private final List<FakePayment> payments = new ArrayList<>();
    private final Map<List<Asset>, BigDecimal> rates = new HashMap<>();
    private long ledger;

    FakeLedger(Network network, Clock clock) {
        this.network = network;
        this.clock = clock;
        this.ledger = Math.max(1, clock.instant().getEpochSecond() - LEDGER_EPOCH_SECOND);
    }

    Network network() {
        return network;
    }

    synchronized SubmitOutcome submit(String envelopeXdr) {
        return new TransactionProcessor(this, network).submit(envelopeXdr);
    }

    synchronized void createAccount(String accountId, BigDecimal xlm) {
        if (accounts.containsKey(accountId)) {
            throw new IllegalArgumentException("account already exists: " + accountId);
        }
        accounts.put(accountId, new FakeAccount(accountId, ledger << 32, Amounts.scaled(xlm), ledger));
    }

    synchronized void credit(String accountId, Asset asset, BigDecimal amount) {
        FakeAccount account = existing(accountId);
        BigDecimal scaled = Amounts.scaled(amount);
        if (asset.equals(FakeAccount.NATIVE)) {
            account.nativeBalance = account.nativeBalance.add(scaled);
            return;
        }
        FakeAccount.Trustline line = account.trustlines.computeIfAbsent(
                asset, a -> new FakeAccount.Trustline(Amounts.ZERO, FakeAccount.MAX_AMOUNT));
        line.balance = line.balance.add(scaled);
    }

    synchronized void setRate(Asset sent, Asset delivered, BigDecimal deliveredPerSent) {
        if (deliveredPerSent.signum() <= 0) {
            throw new IllegalArgumentException("a rate must be positive: " + deliveredPerSent);
        }
        rates.put(List.of(sent, delivered), deliveredPerSent);
    }

    synchronized void putData(String accountId, String name, String base64Value) {
        existing(accountId).data.put(name, base64Value);
    }

    synchronized Optional<BigDecimal> balance(String accountId, Asset asset) {
        FakeAccount account = existing(accountId);
        if (asset.equals(FakeAccount.NATIVE)) {
            return Optional.of(account.nativeBalance);
        }
        return Optional.ofNullable(account.trustlines.get(asset)).map(line -> line.balance);
    }

    /** A snapshot copy of an account, so that callers never see it change under them. */
    synchronized Optional<FakeAccount> account(String accountId) {
        return Optional.ofNullable(accounts.get(accountId)).map(FakeAccount::copy);
    }

    synchronized Optional<AppliedTransaction> transaction(String hash) {
        return Optional.ofNullable(transactions.get(hash));
    }

    synchronized List<AppliedTransaction> transactions() {
        return List.copyOf(transactions.values());
    }

    synchronized List<FakePayment> payments() {
        return List.copyOf(payments);
    }

    synchronized long appliedTransactionCount() {
        return transactions.values().stream()
                .filter(AppliedTransaction::successful)
                .count();
    }

    synchronized long latestLedger() {
        return ledger;
    }

    // --- used by TransactionProcessor, under this object's lock ---

    FakeAccount live(String accountId) {
        return accounts.get(accountId);
    }

    AppliedTransaction known(String hash) {
        return transactions.get(hash);
    }

    /** How much of {@code delivered} one unit of {@code sent} buys: 1 for the same asset; null without a market. */
    BigDecimal rate(Asset sent, Asset delivered) {
        return sent.equals(delivered) ? BigDecimal.ONE : rates.get(List.of(sent, delivered));
    }

    long closeLedger() {
        return ++ledger;
    }

    Instant now() {
        return clock.instant();
    }

    /** Makes a transaction's effects visible: its accounts (replacing the live ones), payments and record. */
    void record(AppliedTransaction transaction, Map<String, FakeAccount> changed, List<FakePayment> made) {
        accounts.putAll(changed);
        payments.addAll(made);
        transactions.put(transaction.hash(), transaction);
    }

    private FakeAccount existing(String accountId) {
        FakeAccount account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("no such account: " + accountId);
        }
        return account;
    }
}
