package dev.tally.settlement.watch;

import com.google.gson.JsonParseException;
import dev.tally.settlement.ErrorCode;
import dev.tally.settlement.SettlementException;
import dev.tally.settlement.request.SettlementAsset;
import dev.tally.settlement.request.StellarAmounts;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeCreditAlphaNum;
import org.stellar.sdk.Memo;
import org.stellar.sdk.MemoText;
import org.stellar.sdk.Server;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.requests.PaymentsRequestBuilder;
import org.stellar.sdk.requests.RequestBuilder;
import org.stellar.sdk.requests.TooManyRequestsException;
import org.stellar.sdk.responses.Page;
import org.stellar.sdk.responses.TransactionResponse;
import org.stellar.sdk.responses.operations.OperationResponse;
import org.stellar.sdk.responses.operations.PathPaymentBaseOperationResponse;
import org.stellar.sdk.responses.operations.PaymentOperationResponse;

/** {@link StellarPayments} over a Horizon server, through the Stellar SDK's {@link Server}. */
public final class HorizonPayments implements StellarPayments, AutoCloseable {

    private final Server server;

    /** Reads through {@code server}, which this object closes. */
    public HorizonPayments(Server server) {
        this.server = server;
    }

    @Override
    public List<ObservedPayment> paymentsAfter(String account, String cursor, int limit) {
        PaymentsRequestBuilder request = server.payments()
                .forAccount(account)
                .order(RequestBuilder.Order.ASC)
                .limit(limit)
                .includeTransactions(true);
        if (cursor != null) {
            request.cursor(cursor);
        }
        Page<OperationResponse> page;
        try {
            page = request.execute();
        } catch (ErrorResponse e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw unavailable("Horizon answered " + e.getCode() + " listing payments of " + account, e);
        } catch (IOException | TooManyRequestsException | JsonParseException e) {
            throw unavailable("cannot list payments of " + account + " on Horizon", e);
        }
        List<ObservedPayment> payments = new ArrayList<>(page.getRecords().size());
        for (OperationResponse operation : page.getRecords()) {
            try {
                payments.add(observe(operation));
            } catch (DateTimeParseException e) {
                throw unavailable("Horizon listed operation " + operation.getId() + " with a bad created_at", e);
            }
        }
        return payments;
    }

    @Override
    public String networkPassphrase() {
        try {
            return server.root().getNetworkPassphrase();
        } catch (IOException | ErrorResponse e) {
            throw unavailable("cannot read Horizon's root", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private ObservedPayment observe(OperationResponse op) {
        String memo = memoText(op);
        Instant closedAt = Instant.parse(op.getCreatedAt());
        boolean successful = !Boolean.FALSE.equals(op.isTransactionSuccessful());
        return switch (op) {
            case PaymentOperationResponse p ->
                transfer(op, successful, p.getFrom(), p.getTo(), p.getAsset(), p.getAmount(), memo, closedAt);
            case PathPaymentBaseOperationResponse p ->
                transfer(op, successful, p.getFrom(), p.getTo(), p.getAsset(), p.getAmount(), memo, closedAt);
            default ->
                new ObservedPayment(
                        op.getPagingToken(),
                        op.getId(),
                        op.getTransactionHash(),
                        successful,
                        false,
                        op.getSourceAccount(),
                        null,
                        null,
                        null,
                        null,
                        memo,
                        closedAt);
        };
    }

    private static ObservedPayment transfer(
            OperationResponse op,
            boolean successful,
            String from,
            String to,
            Asset asset,
            String amount,
            String memo,
            Instant closedAt) {
        String code = SettlementAsset.NATIVE_CODE;
        String issuer = null;
        if (asset instanceof AssetTypeCreditAlphaNum credit) {
            code = credit.getCode();
            issuer = credit.getIssuer();
        }
        BigDecimal received = StellarAmounts.parse(amount);
        return new ObservedPayment(
                op.getPagingToken(),
                op.getId(),
                op.getTransactionHash(),
                successful,
                true,
                from,
                to,
                code,
                issuer,
                received,
                memo,
                closedAt);
    }

    /** The MEMO_TEXT of the operation's transaction, embedded by join=transactions or fetched. */
    private String memoText(OperationResponse op) {
        TransactionResponse tx = op.getTransaction().orElse(null);
        if (tx == null) {
            try {
                tx = server.transactions().transaction(op.getTransactionHash());
            } catch (IOException | ErrorResponse e) {
                throw unavailable("cannot read transaction " + op.getTransactionHash(), e);
            }
        }
        Memo memo = tx.getMemo();
        return memo instanceof MemoText text ? text.getText() : null;
    }

    private static SettlementException unavailable(String message, Exception cause) {
        return new SettlementException(ErrorCode.HORIZON_UNAVAILABLE, message + ": " + cause.getMessage(), cause);
    }
}
