package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import org.stellar.sdk.Asset;
import org.stellar.sdk.Memo;

/**
 * A payment-like operation the fake Horizon applied: a {@code payment}, a {@code path_payment_strict_send} or
 * {@code path_payment_strict_receive}, or a {@code create_account} (Horizon lists them all under
 * {@code /payments}).
 *
 * @param id the operation id (a Horizon TOID), also its paging token
 * @param type {@code payment}, {@code path_payment_strict_send}, {@code path_payment_strict_receive} or
 *     {@code create_account}
 * @param transactionHash hex hash of the transaction that carried the operation
 * @param from the paying (or funding) account, {@code G...}
 * @param fromMuxed the muxed address ({@code M...}) the payer paid from, or null
 * @param to the receiving (or created) account, {@code G...}
 * @param toMuxed the muxed address ({@code M...}) the payment was sent to, or null
 * @param asset the asset delivered ({@code native} for {@code create_account})
 * @param amount the amount delivered, at scale 7
 * @param sourceAsset for a path payment, the asset the payer sent; else null
 * @param sourceAmount for a path payment, the amount the payer sent, at scale 7; else null
 * @param memo the memo of the enclosing transaction
 * @param createdAt close time of the ledger that applied it
 */
public record FakePayment(
        long id,
        String type,
        String transactionHash,
        String from,
        String fromMuxed,
        String to,
        String toMuxed,
        Asset asset,
        BigDecimal amount,
        Asset sourceAsset,
        BigDecimal sourceAmount,
        Memo memo,
        Instant createdAt) {

    /** The id of the muxed address paid to, or null when the payment named a plain account. */
    public BigInteger toMuxedId() {
        return toMuxed == null ? null : MuxedAddress.of(toMuxed).muxedId();
    }

    /** The id of the muxed address paid from, or null. */
    public BigInteger fromMuxedId() {
        return fromMuxed == null ? null : MuxedAddress.of(fromMuxed).muxedId();
    }

    /** Whether this is a path payment (its delivered asset and amount may differ from what was sent). */
    public boolean pathPayment() {
        return type.startsWith("path_payment");
    }

    /** The cursor Horizon pages with: the operation id as a decimal string. */
    public String pagingToken() {
        return Long.toString(id);
    }

    /** This operation as applied: its id, transaction, memo and close time filled in. */
    FakePayment made(long operationId, String hash, Memo transactionMemo, Instant closedAt) {
        return new FakePayment(
                operationId,
                type,
                hash,
                from,
                fromMuxed,
                to,
                toMuxed,
                asset,
                amount,
                sourceAsset,
                sourceAmount,
                transactionMemo,
                closedAt);
    }

    /** Whether {@code accountId} sent or received this operation. */
    boolean involves(String accountId) {
        return from.equals(accountId) || to.equals(accountId);
    }
}
