package dev.tally.testkit.stellar;

import java.time.Instant;
import java.util.List;
import org.stellar.sdk.Memo;

/**
 * A transaction that entered a ledger: applied ({@code successful}) or failed with {@code tx_failed}
 * (which, as on Stellar, still consumed its sequence number and fee).
 */
record AppliedTransaction(
        String hash,
        long ledger,
        Instant createdAt,
        String sourceAccount,
        long sourceAccountSequence,
        long feeCharged,
        long maxFee,
        int operationCount,
        String envelopeXdr,
        String resultXdr,
        Memo memo,
        List<String> signatures,
        boolean successful,
        List<String> operationCodes) {

    /** The transaction's TOID (ledger, application order 1), used as its paging token. */
    long id() {
        return Toid.of(ledger, 0);
    }
}
