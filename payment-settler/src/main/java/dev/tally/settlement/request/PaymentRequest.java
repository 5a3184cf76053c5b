package dev.tally.settlement.request;

import dev.tally.schemas.avro.InvoiceEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What an invoice's payer must send: {@code amount} of the settlement asset to
 * {@code destination} with MEMO_TEXT {@code memo}, as the SEP-7 {@code payUri} proposes.
 */
public record PaymentRequest(
        String invoiceId,
        String organizationId,
        boolean livemode,
        BigDecimal amount,
        SettlementAsset asset,
        String destination,
        String memo,
        String payUri,
        Instant requestedAt) {

    /**
     * The request for a finalized invoice with a positive total.
     *
     * @throws dev.tally.settlement.SettlementException if the total is not a representable amount
     */
    public static PaymentRequest forInvoice(
            InvoiceEvent invoice, SettlementAsset asset, String destination, String networkPassphrase, Instant now) {
        BigDecimal amount = StellarAmounts.fromMinorUnits(invoice.getTotalMinor(), invoice.getCurrency());
        String memo = Memos.forInvoice(invoice.getInvoiceId());
        return new PaymentRequest(
                invoice.getInvoiceId(),
                invoice.getOrganizationId(),
                invoice.getLivemode(),
                amount,
                asset,
                destination,
                memo,
                PayUri.pay(destination, amount, asset, memo, networkPassphrase),
                now);
    }
}
