package dev.tally.testkit.stellar;

import org.stellar.sdk.xdr.PathPaymentStrictReceiveResultCode;
import org.stellar.sdk.xdr.PathPaymentStrictSendResultCode;
import org.stellar.sdk.xdr.PaymentResultCode;

/**
 * Why a payment-like operation cannot move its value, one name for what each operation type reports with its own
 * result code. {@link #PAST_LIMIT} is a strict send delivering less than {@code destMin}, or a strict receive
 * needing more than {@code sendMax}.
 */
enum Shortfall {
    MALFORMED,
    NO_DESTINATION,
    NO_TRUST,
    LINE_FULL,
    SRC_NO_TRUST,
    UNDERFUNDED,
    TOO_FEW_OFFERS,
    PAST_LIMIT;

    PaymentResultCode payment() {
        return switch (this) {
            case MALFORMED, TOO_FEW_OFFERS, PAST_LIMIT -> PaymentResultCode.PAYMENT_MALFORMED;
            case NO_DESTINATION -> PaymentResultCode.PAYMENT_NO_DESTINATION;
            case NO_TRUST -> PaymentResultCode.PAYMENT_NO_TRUST;
            case LINE_FULL -> PaymentResultCode.PAYMENT_LINE_FULL;
            case SRC_NO_TRUST -> PaymentResultCode.PAYMENT_SRC_NO_TRUST;
            case UNDERFUNDED -> PaymentResultCode.PAYMENT_UNDERFUNDED;
        };
    }

    PathPaymentStrictSendResultCode strictSend() {
        return switch (this) {
            case MALFORMED -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_MALFORMED;
            case NO_DESTINATION -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_NO_DESTINATION;
            case NO_TRUST -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_NO_TRUST;
            case LINE_FULL -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_LINE_FULL;
            case SRC_NO_TRUST -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_SRC_NO_TRUST;
            case UNDERFUNDED -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_UNDERFUNDED;
            case TOO_FEW_OFFERS -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_TOO_FEW_OFFERS;
            case PAST_LIMIT -> PathPaymentStrictSendResultCode.PATH_PAYMENT_STRICT_SEND_UNDER_DESTMIN;
        };
    }

    PathPaymentStrictReceiveResultCode strictReceive() {
        return switch (this) {
            case MALFORMED -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_MALFORMED;
            case NO_DESTINATION -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_NO_DESTINATION;
            case NO_TRUST -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_NO_TRUST;
            case LINE_FULL -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_LINE_FULL;
            case SRC_NO_TRUST -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_SRC_NO_TRUST;
            case UNDERFUNDED -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_UNDERFUNDED;
            case TOO_FEW_OFFERS -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_TOO_FEW_OFFERS;
            case PAST_LIMIT -> PathPaymentStrictReceiveResultCode.PATH_PAYMENT_STRICT_RECEIVE_OVER_SENDMAX;
        };
    }

    /** Horizon's operation result code for a path payment failing this way. */
    String pathCode(boolean strictSend) {
        return switch (this) {
            case MALFORMED -> "op_malformed";
            case NO_DESTINATION -> "op_no_destination";
            case NO_TRUST -> "op_no_trust";
            case LINE_FULL -> "op_line_full";
            case SRC_NO_TRUST -> "op_src_no_trust";
            case UNDERFUNDED -> "op_underfunded";
            case TOO_FEW_OFFERS -> "op_too_few_offers";
            case PAST_LIMIT -> strictSend ? "op_under_dest_min" : "op_over_source_max";
        };
    }
}
