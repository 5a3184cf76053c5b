package dev.tally.testkit.stellar;

import org.stellar.sdk.xdr.ChangeTrustResult;
import org.stellar.sdk.xdr.ChangeTrustResultCode;
import org.stellar.sdk.xdr.CreateAccountResult;
import org.stellar.sdk.xdr.CreateAccountResultCode;
import org.stellar.sdk.xdr.OperationResult;
import org.stellar.sdk.xdr.OperationResultCode;
import org.stellar.sdk.xdr.OperationType;
import org.stellar.sdk.xdr.PaymentResult;
import org.stellar.sdk.xdr.PaymentResultCode;

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
