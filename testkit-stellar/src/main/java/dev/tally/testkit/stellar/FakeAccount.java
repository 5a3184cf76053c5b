package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeCreditAlphaNum;
import org.stellar.sdk.AssetTypeNative;

/**
 * The mutable state of one account. Only touched under the ledger's lock; a transaction works on
 * copies so that a failing operation leaves nothing half-applied.
 */
final class FakeAccount {

    /** Stellar's base reserve: every account keeps (2 + subentries) x 0.5 XLM. */
    static final BigDecimal BASE_RESERVE = new BigDecimal("0.5000000");

    /** The largest amount Stellar can represent (int64 stroops), the default trustline limit. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("922337203685.4775807");

    static final Asset NATIVE = new AssetTypeNative();

    final String id;
    long sequence;
    long lastModifiedLedger;
    BigDecimal nativeBalance;
    /** Credit-asset trustlines: balance and limit, in creation order. */
    final Map<Asset, Trustline> trustlines;
    /** Account data entries, values base64-encoded as Horizon shows them. */
    final Map<String, String> data;

    FakeAccount(String id, long sequence, BigDecimal nativeBalance, long ledger) {
        this(id, sequence, nativeBalance, ledger, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private FakeAccount(
            String id,
            long sequence,
            BigDecimal nativeBalance,
            long lastModifiedLedger,
            Map<Asset, Trustline> trustlines,
            Map<String, String> data) {
        this.id = id;
        this.sequence = sequence;
        this.nativeBalance = nativeBalance;
        this.lastModifiedLedger = lastModifiedLedger;
        this.trustlines = trustlines;
        this.data = data;
    }

    FakeAccount copy() {
        Map<Asset, Trustline> lines = new LinkedHashMap<>();
        trustlines.forEach((asset, line) -> lines.put(asset, new Trustline(line.balance, line.limit)));
        return new FakeAccount(id, sequence, nativeBalance, lastModifiedLedger, lines, new LinkedHashMap<>(data));
    }

    int subentries() {
        return trustlines.size() + data.size();
    }

    BigDecimal minimumBalance() {
        return BASE_RESERVE.multiply(BigDecimal.valueOf(2L + subentries()));
    }

    /** Native balance above the reserve: what payments and account creations may spend. */
    BigDecimal spendableNative() {
        return nativeBalance.subtract(minimumBalance());
    }

    /** Whether this account is the issuer of {@code asset}, which it may hold without a trustline. */
    boolean issues(Asset asset) {
        return asset instanceof AssetTypeCreditAlphaNum credit
                && credit.getIssuer().equals(id);
    }

    /** A trustline's balance and limit. */
    static final class Trustline {
        BigDecimal balance;
        BigDecimal limit;

        Trustline(BigDecimal balance, BigDecimal limit) {
            this.balance = balance;
            this.limit = limit;
        }
    }
}
