package dev.tally.settlement.watch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code stellar_payments} and {@code horizon_cursors} tables, through the caller's handle. */
public final class StellarPaymentDao {

    private final Handle handle;

    public StellarPaymentDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * Records a received payment with its outcome, unless this operation was recorded before.
     *
     * @return whether it was recorded now (false: seen before, nothing changed)
     */
    public boolean insert(ObservedPayment payment, Outcome outcome, String invoiceId, Instant recordedAt) {
        return handle.createUpdate(
                                "INSERT INTO settlement.stellar_payments (transaction_hash, operation_id, paging_token,"
                                        + " source_account, destination, amount, asset_code, asset_issuer, memo, outcome, invoice_id,"
                                        + " ledger_closed_at, recorded_at) VALUES (:hash, :op, :token, :from, :to, :amount, :code,"
                                        + " :issuer, :memo, :outcome, :invoiceId, :closedAt, :recordedAt)"
                                        + " ON CONFLICT (transaction_hash, operation_id) DO NOTHING")
                        .bind("hash", payment.transactionHash())
                        .bind("op", payment.operationId())
                        .bind("token", payment.pagingToken())
                        .bind("from", payment.from())
                        .bind("to", payment.to())
                        .bind("amount", payment.amount())
                        .bind("code", payment.assetCode())
                        .bind("issuer", payment.assetIssuer())
                        .bind("memo", payment.memoText())
                        .bind("outcome", outcome.column())
                        .bind("invoiceId", invoiceId)
                        .bind("closedAt", payment.closedAt().atOffset(ZoneOffset.UTC))
                        .bind("recordedAt", recordedAt.atOffset(ZoneOffset.UTC))
                        .execute()
                == 1;
    }

    /** The stored paging token of {@code account}'s payments; empty before the first page. */
    public Optional<String> cursor(String account) {
        return handle.createQuery("SELECT paging_token FROM settlement.horizon_cursors WHERE account = :account")
                .bind("account", account)
                .mapTo(String.class)
                .findOne();
    }

    /**
     * Moves {@code account}'s cursor from {@code expected} (empty: none stored) to {@code next}.
     *
     * @return false if the stored cursor is no longer {@code expected} (another watcher moved it)
     */
    public boolean advanceCursor(String account, Optional<String> expected, String next, Instant at) {
        if (expected.isEmpty()) {
            return handle.createUpdate("INSERT INTO settlement.horizon_cursors (account, paging_token, updated_at)"
                                    + " VALUES (:account, :next, :at) ON CONFLICT (account) DO NOTHING")
                            .bind("account", account)
                            .bind("next", next)
                            .bind("at", at.atOffset(ZoneOffset.UTC))
                            .execute()
                    == 1;
        }
        return handle.createUpdate("UPDATE settlement.horizon_cursors SET paging_token = :next, updated_at = :at"
                                + " WHERE account = :account AND paging_token = :expected")
                        .bind("account", account)
                        .bind("next", next)
                        .bind("expected", expected.get())
                        .bind("at", at.atOffset(ZoneOffset.UTC))
                        .execute()
                == 1;
    }
}
