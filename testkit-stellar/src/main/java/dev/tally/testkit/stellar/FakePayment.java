package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.time.Instant;
import org.stellar.sdk.Asset;
import org.stellar.sdk.Memo;

/**
 * A payment-like operation the fake Horizon applied: a {@code payment} or a {@code create_account}
 * (Horizon lists both under {@code /payments}).
 *
 * @param id the operation id (a Horizon TOID), also its paging token
 * @param type {@code payment} or {@code create_account}
 * @param transactionHash hex hash of the transaction that carried the operation
 * @param from the paying (or funding) account
 * @param to the receiving (or created) account
 * @param asset the asset moved ({@code native} for {@code create_account})
 * @param amount the amount moved, at scale 7
 * @param memo the memo of the enclosing transaction
 * @param createdAt close time of the ledger that applied it
 */
public record FakePayment(
        long id,
        String type,
        String transactionHash,
        String from,
        String to,
        Asset asset,
        BigDecimal amount,
        Memo memo,
        Instant createdAt) {

    /** The cursor Horizon pages with: the operation id as a decimal string. */
    public String pagingToken() {
        return Long.toString(id);
    }

    /** Whether {@code accountId} sent or received this operation. */
    boolean involves(String accountId) {
        return from.equals(accountId) || to.equals(accountId);
    }
}
