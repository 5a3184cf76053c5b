package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import org.stellar.sdk.Asset;

/**
 * Moves value between working copies of accounts: {@code sent} of one asset out of the source and {@code
 * delivered} of another (or the same) into the destination. Between two assets the fake's market stands in for
 * the order book and takes the difference. An issuer mints what it sends and burns what it receives; lumens have
 * no trustline and the source keeps its reserve.
 */
final class Transfers {

    private Transfers() {}

    /** Why the move cannot happen, checked as stellar-core checks it (destination first), or null. */
    static Shortfall check(
            FakeAccount source,
            Asset sendAsset,
            BigDecimal sent,
            FakeAccount destination,
            Asset destAsset,
            BigDecimal delivered) {
        if (!destAsset.equals(FakeAccount.NATIVE) && !destination.issues(destAsset)) {
            FakeAccount.Trustline to = destination.trustlines.get(destAsset);
            if (to == null) {
                return Shortfall.NO_TRUST;
            }
            if (to.balance.add(delivered).compareTo(to.limit) > 0) {
                return Shortfall.LINE_FULL;
            }
        }
        if (sendAsset.equals(FakeAccount.NATIVE)) {
            return source.spendableNative().compareTo(sent) < 0 ? Shortfall.UNDERFUNDED : null;
        }
        if (source.issues(sendAsset)) {
            return null;
        }
        FakeAccount.Trustline from = source.trustlines.get(sendAsset);
        if (from == null) {
            return Shortfall.SRC_NO_TRUST;
        }
        return from.balance.compareTo(sent) < 0 ? Shortfall.UNDERFUNDED : null;
    }

    /** Moves the value; {@link #check} must have passed. */
    static void move(
            FakeAccount source,
            Asset sendAsset,
            BigDecimal sent,
            FakeAccount destination,
            Asset destAsset,
            BigDecimal delivered) {
        if (sendAsset.equals(FakeAccount.NATIVE)) {
            source.nativeBalance = source.nativeBalance.subtract(sent);
        } else if (!source.issues(sendAsset)) {
            FakeAccount.Trustline from = source.trustlines.get(sendAsset);
            from.balance = from.balance.subtract(sent);
        }
        if (destAsset.equals(FakeAccount.NATIVE)) {
            destination.nativeBalance = destination.nativeBalance.add(delivered);
        } else if (!destination.issues(destAsset)) {
            FakeAccount.Trustline to = destination.trustlines.get(destAsset);
            to.balance = to.balance.add(delivered);
        }
    }
}
