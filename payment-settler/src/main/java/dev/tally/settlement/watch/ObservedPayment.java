package dev.tally.settlement.watch;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One payment-like operation of the watched account as Horizon lists it.
 *
 * @param pagingToken Horizon's cursor for this operation
 * @param operationId the operation's id (unique on the network)
 * @param transactionHash hex hash of the enclosing transaction
 * @param successful whether the enclosing transaction succeeded
 * @param valueTransfer whether it moves value to {@code to} (payment or path payment); account
 *     creations, merges and the like are not
 * @param from the paying account
 * @param to the receiving account
 * @param assetCode the asset received ({@code XLM} for lumens); null unless a value transfer
 * @param assetIssuer the received asset's issuer; null for lumens
 * @param amount the amount received, at scale 7; null unless a value transfer
 * @param memoText the transaction's MEMO_TEXT; null if it has another memo type or none
 * @param closedAt when the ledger that applied it closed
 */
public record ObservedPayment(
        String pagingToken,
        long operationId,
        String transactionHash,
        boolean successful,
        boolean valueTransfer,
        String from,
        String to,
        String assetCode,
        String assetIssuer,
        BigDecimal amount,
        String memoText,
        Instant closedAt) {}
