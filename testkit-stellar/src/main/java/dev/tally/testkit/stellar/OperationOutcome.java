package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.xdr.ChangeTrustResult;
import org.stellar.sdk.xdr.ChangeTrustResultCode;
import org.stellar.sdk.xdr.ClaimAtom;
import org.stellar.sdk.xdr.CreateAccountResult;
import org.stellar.sdk.xdr.CreateAccountResultCode;
import org.stellar.sdk.xdr.Int64;
import org.stellar.sdk.xdr.OperationResult;
import org.stellar.sdk.xdr.OperationResultCode;
import org.stellar.sdk.xdr.OperationType;
import org.stellar.sdk.xdr.PathPaymentStrictReceiveResult;
import org.stellar.sdk.xdr.PathPaymentStrictReceiveResultCode;
import org.stellar.sdk.xdr.PathPaymentStrictSendResult;
import org.stellar.sdk.xdr.PathPaymentStrictSendResultCode;
import org.stellar.sdk.xdr.PaymentResult;
import org.stellar.sdk.xdr.PaymentResultCode;
import org.stellar.sdk.xdr.SimplePaymentResult;

/**
 * The result of one operation: the code Horizon reports in {@code result_codes.operations} and the
 * matching XDR {@link OperationResult}.
 */
record OperationOutcome(String code, OperationResult xdr) {

    boolean success() {
        return "op_success".equals(code);
    }

    static OperationOutcome payment(PaymentResultCode result) {
        OperationResult.OperationResultTr tr = new OperationResult.OperationResultTr.Builder()
                .discriminant(OperationType.PAYMENT)
                .paymentResult(new PaymentResult.Builder().discriminant(result).build())
                .build();
        return inner(paymentCode(result), tr);
    }

    static OperationOutcome createAccount(CreateAccountResultCode result) {
        OperationResult.OperationResultTr tr = new OperationResult.OperationResultTr.Builder()
                .discriminant(OperationType.CREATE_ACCOUNT)
                .createAccountResult(
                        new CreateAccountResult.Builder().discriminant(result).build())
                .build();
        return inner(createAccountCode(result), tr);
    }

    static OperationOutcome changeTrust(ChangeTrustResultCode result) {
        OperationResult.OperationResultTr tr = new OperationResult.OperationResultTr.Builder()
                .discriminant(OperationType.CHANGE_TRUST)
                .changeTrustResult(
                        new ChangeTrustResult.Builder().discriminant(result).build())
                .build();
        return inner(changeTrustCode(result), tr);
    }

    /** A strict-send path payment: failed by {@code shortfall}, or (null) delivered {@code amount} to {@code to}. */
    static OperationOutcome strictSend(Shortfall shortfall, String to, Asset asset, BigDecimal amount) {
        PathPaymentStrictSendResult.Builder result = new PathPaymentStrictSendResult.Builder();
        if (shortfall == null) {
            result.discriminant(PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_SUCCESS)
                    .success(new PathPaymentStrictSendResult.PathPaymentStrictSendResultSuccess.Builder()
                            .offers(new ClaimAtom[0])
                            .last(last(to, asset, amount))
                            .build());
        } else {
            result.discriminant(shortfall.strictSend());
        }
        OperationResult.OperationResultTr tr = new OperationResult.OperationResultTr.Builder()
                .discriminant(OperationType.PATH_PAYMENT_STRICT_SEND)
                .pathPaymentStrictSendResult(result.build())
                .build();
        return inner(shortfall == null ? "op_success" : shortfall.pathCode(true), tr);
    }

    /** A strict-receive path payment: failed by {@code shortfall}, or (null) delivered {@code amount} to {@code to}. */
    static OperationOutcome strictReceive(Shortfall shortfall, String to, Asset asset, BigDecimal amount) {
        PathPaymentStrictReceiveResult.Builder result = new PathPaymentStrictReceiveResult.Builder();
        if (shortfall == null) {
            result.discriminant(PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_SUCCESS)
                    .success(new PathPaymentStrictReceiveResult.PathPaymentStrictReceiveResultSuccess.Builder()
                            .offers(new ClaimAtom[0])
                            .last(last(to, asset, amount))
                            .build());
        } else {
            result.discriminant(shortfall.strictReceive());
        }
        OperationResult.OperationResultTr tr = new OperationResult.OperationResultTr.Builder()
                .discriminant(OperationType.PATH_PAYMENT_STRICT_RECEIVE)
                .pathPaymentStrictReceiveResult(result.build())
                .build();
        return inner(shortfall == null ? "op_success" : shortfall.pathCode(false), tr);
    }

    /** What a successful path payment reports it delivered (the fake's market crosses no offers). */
    private static SimplePaymentResult last(String to, Asset asset, BigDecimal amount) {
        return new SimplePaymentResult.Builder()
                .destination(KeyPair.fromAccountId(to).getXdrAccountId())
                .asset(asset.toXdr())
                .amount(new Int64(amount.movePointRight(Amounts.SCALE).longValueExact()))
                .build();
    }

    /** An operation the fake does not implement: Stellar's {@code opNOT_SUPPORTED}. */
    static OperationOutcome notSupported() {
        return outer("op_not_supported", OperationResultCode.opNOT_SUPPORTED);
    }

    /** An operation whose own source account does not exist. */
    static OperationOutcome noSourceAccount() {
        return outer("op_no_source_account", OperationResultCode.opNO_ACCOUNT);
    }

    private static OperationOutcome inner(String code, OperationResult.OperationResultTr tr) {
        return new OperationOutcome(
                code,
                new OperationResult.Builder()
                        .discriminant(OperationResultCode.opINNER)
                        .tr(tr)
                        .build());
    }

    private static OperationOutcome outer(String code, OperationResultCode result) {
        return new OperationOutcome(
                code, new OperationResult.Builder().discriminant(result).build());
    }

    private static String paymentCode(PaymentResultCode result) {
        return switch (result) {
            case PAYMENT_SUCCESS -> "op_success";
            case PAYMENT_MALFORMED -> "op_malformed";
            case PAYMENT_UNDERFUNDED -> "op_underfunded";
            case PAYMENT_SRC_NO_TRUST -> "op_src_no_trust";
            case PAYMENT_SRC_NOT_AUTHORIZED -> "op_src_not_authorized";
            case PAYMENT_NO_DESTINATION -> "op_no_destination";
            case PAYMENT_NO_TRUST -> "op_no_trust";
            case PAYMENT_NOT_AUTHORIZED -> "op_not_authorized";
            case PAYMENT_LINE_FULL -> "op_line_full";
            case PAYMENT_NO_ISSUER -> "op_no_issuer";
        };
    }

    private static String createAccountCode(CreateAccountResultCode result) {
        return switch (result) {
            case CREATE_ACCOUNT_SUCCESS -> "op_success";
            case CREATE_ACCOUNT_MALFORMED -> "op_malformed";
            case CREATE_ACCOUNT_UNDERFUNDED -> "op_underfunded";
            case CREATE_ACCOUNT_LOW_RESERVE -> "op_low_reserve";
            case CREATE_ACCOUNT_ALREADY_EXIST -> "op_already_exists";
        };
    }

    private static String changeTrustCode(ChangeTrustResultCode result) {
        return switch (result) {
            case CHANGE_TRUST_SUCCESS -> "op_success";
            case CHANGE_TRUST_MALFORMED -> "op_malformed";
            case CHANGE_TRUST_NO_ISSUER -> "op_no_issuer";
            case CHANGE_TRUST_INVALID_LIMIT -> "op_invalid_limit";
            case CHANGE_TRUST_LOW_RESERVE -> "op_low_reserve";
            case CHANGE_TRUST_SELF_NOT_ALLOWED -> "op_self_not_allowed";
            case CHANGE_TRUST_TRUST_LINE_MISSING -> "op_trust_line_missing";
            case CHANGE_TRUST_CANNOT_DELETE -> "op_cannot_delete";
            case CHANGE_TRUST_NOT_AUTH_MAINTAIN_LIABILITIES -> "op_not_auth_maintain_liabilities";
        };
    }
}
