package dev.tally.settlement.request;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code payment_requests} and {@code unpayable_invoices} tables, through the caller's handle. */
public final class PaymentRequestDao {

    private static final String COLUMNS = "invoice_id, organization_id, livemode, amount, asset_code, asset_issuer,"
            + " destination, memo, pay_uri, requested_at, settled_at";

    /** A stored request, whether a payment already settled it, and whether it was withdrawn (its invoice voided). */
    public record Stored(PaymentRequest request, boolean settled, boolean withdrawn) {}

    private final Handle handle;

    public PaymentRequestDao(Handle handle) {
        this.handle = handle;
    }

    /** Stores {@code request} unless its invoice already has one; returns whether it was stored. */
    public boolean insert(PaymentRequest request) {
        return handle.createUpdate(
                                "INSERT INTO settlement.payment_requests (" + COLUMNS.replace(", settled_at", "") + ")"
                                        + " VALUES (:invoiceId, :organizationId, :livemode, :amount, :assetCode, :assetIssuer,"
                                        + " :destination, :memo, :payUri, :requestedAt)"
                                        + " ON CONFLICT (invoice_id) DO NOTHING")
                        .bind("invoiceId", request.invoiceId())
                        .bind("organizationId", request.organizationId())
                        .bind("livemode", request.livemode())
                        .bind("amount", request.amount())
                        .bind("assetCode", request.asset().code())
                        .bind("assetIssuer", request.asset().issuer())
                        .bind("destination", request.destination())
                        .bind("memo", request.memo())
                        .bind("payUri", request.payUri())
                        .bind("requestedAt", utc(request.requestedAt()))
                        .execute()
                == 1;
    }

    /** The request whose memo is {@code memo}, locked until the caller's transaction ends. */
    public Optional<Stored> forMemoLocked(String memo) {
        return handle.createQuery("SELECT " + COLUMNS
                        + ", withdrawn_at FROM settlement.payment_requests WHERE memo = :memo" + " FOR UPDATE")
                .bind("memo", memo)
                .map((rs, ctx) -> stored(rs))
                .findOne();
    }

    /** Marks an open request settled by the given operation; returns whether it was open. */
    public boolean markSettled(String invoiceId, String transactionHash, long operationId, Instant at) {
        return handle.createUpdate("UPDATE settlement.payment_requests SET settled_at = :at, settled_tx_hash = :hash,"
                                + " settled_operation = :op WHERE invoice_id = :id AND settled_at IS NULL")
                        .bind("id", invoiceId)
                        .bind("hash", transactionHash)
                        .bind("op", operationId)
                        .bind("at", utc(at))
                        .execute()
                == 1;
    }

    /**
     * Withdraws the open request of a voided invoice: later payments with its memo settle nothing. Returns
     * whether an open request was withdrawn (none: never requested, already settled or withdrawn).
     */
    public boolean markWithdrawn(String invoiceId, Instant at) {
        return handle.createUpdate("UPDATE settlement.payment_requests SET withdrawn_at = :at WHERE invoice_id = :id"
                                + " AND settled_at IS NULL AND withdrawn_at IS NULL")
                        .bind("id", invoiceId)
                        .bind("at", utc(at))
                        .execute()
                == 1;
    }

    /** Keeps a finalized invoice that cannot be asked for on Stellar, with the reason. */
    public void insertUnpayable(String invoiceId, String organizationId, String reason, Instant at) {
        handle.createUpdate(
                        "INSERT INTO settlement.unpayable_invoices (invoice_id, organization_id, reason, received_at)"
                                + " VALUES (:id, :org, :reason, :at) ON CONFLICT (invoice_id) DO NOTHING")
                .bind("id", invoiceId)
                .bind("org", organizationId)
                .bind("reason", reason)
                .bind("at", utc(at))
                .execute();
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        PaymentRequest request = new PaymentRequest(
                rs.getString("invoice_id"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getBigDecimal("amount"),
                new SettlementAsset(rs.getString("asset_code"), rs.getString("asset_issuer")),
                rs.getString("destination"),
                rs.getString("memo"),
                rs.getString("pay_uri"),
                rs.getObject("requested_at", OffsetDateTime.class).toInstant());
        return new Stored(request, rs.getObject("settled_at") != null, rs.getObject("withdrawn_at") != null);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
