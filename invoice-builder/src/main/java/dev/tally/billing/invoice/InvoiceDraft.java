package dev.tally.billing.invoice;

import java.util.Objects;

/**
 * An invoice about to be written: of a closed billing period ({@code billingPeriodId}) or of one
 * subscription ({@code subscriptionId}), exactly one of them; {@code period} spans what its lines bill.
 * {@code number} is null when the invoice is numbered as it is finalized ({@link InvoiceIssuer#finalizeAll}).
 */
public record InvoiceDraft(
        String id,
        String number,
        String organizationId,
        boolean livemode,
        String customerId,
        String customerExternalId,
        Long billingPeriodId,
        String subscriptionId,
        String currency,
        UsagePeriod period) {

    public InvoiceDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(period, "period");
        if ((billingPeriodId == null) == (subscriptionId == null)) {
            throw new IllegalArgumentException("an invoice is of a billing period or of a subscription");
        }
    }
}
