package dev.tally.settlement.watch;

import dev.tally.settlement.request.PaymentRequest;
import java.util.Optional;

/**
 * Decides what a payment received by the watched account does, from the payment and the request
 * its memo names (if any). Pure: the caller has locked the request and records the outcome.
 */
public final class PaymentMatcher {

    private PaymentMatcher() {}

    /**
     * @param payment a successful value transfer to the watched account
     * @param request the request whose memo is the payment's MEMO_TEXT, if there is one
     * @param settled whether that request is already settled
     * @param withdrawn whether that request was withdrawn (its invoice voided)
     */
    public static Outcome match(
            ObservedPayment payment, Optional<PaymentRequest> request, boolean settled, boolean withdrawn) {
        if (payment.memoText() == null) {
            return Outcome.NO_MEMO;
        }
        if (request.isEmpty()) {
            return Outcome.UNKNOWN_MEMO;
        }
        if (withdrawn) {
            return Outcome.WITHDRAWN;
        }
        PaymentRequest open = request.get();
        if (!open.asset().matches(payment.assetCode(), payment.assetIssuer())) {
            return Outcome.WRONG_ASSET;
        }
        if (payment.amount().compareTo(open.amount()) < 0) {
            return Outcome.UNDERPAID;
        }
        return settled ? Outcome.ALREADY_SETTLED : Outcome.SETTLED;
    }
}
