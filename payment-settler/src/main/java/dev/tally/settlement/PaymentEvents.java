package dev.tally.settlement;

import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.settlement.request.PaymentRequest;
import dev.tally.settlement.watch.ObservedPayment;
import java.time.Instant;

/**
 * The {@code payment-events} records of a settlement, keyed by invoice id. Event ids are derived
 * from the invoice, so a consumer recognises a redelivered event: there is one REQUESTED and at
 * most one SETTLED per invoice.
 */
public final class PaymentEvents {

    private PaymentEvents() {}

    /** The request was created: pay {@code payUri}. */
    public static PaymentEvent requested(PaymentRequest request) {
        return base(request, PaymentEventType.REQUESTED, "requested", request.requestedAt())
                .setAmount(request.amount())
                .setPayUri(request.payUri())
                .build();
    }

    /** {@code payment} settled the request; the amount is what was received. */
    public static PaymentEvent settled(PaymentRequest request, ObservedPayment payment) {
        return base(request, PaymentEventType.SETTLED, "settled", payment.closedAt())
                .setAmount(payment.amount())
                .setTransactionHash(payment.transactionHash())
                .setSourceAccount(payment.from())
                .build();
    }

    private static PaymentEvent.Builder base(
            PaymentRequest request, PaymentEventType type, String step, Instant occurredAt) {
        return PaymentEvent.newBuilder()
                .setEventId("payment|" + request.invoiceId() + "|" + step)
                .setType(type)
                .setInvoiceId(request.invoiceId())
                .setOrganizationId(request.organizationId())
                .setLivemode(request.livemode())
                .setAssetCode(request.asset().code())
                .setAssetIssuer(request.asset().issuer())
                .setDestination(request.destination())
                .setMemo(request.memo())
                .setOccurredAt(occurredAt);
    }
}
