package dev.tally.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** The JSON shapes of invoices in the finance API. */
public final class InvoiceViews {

    private InvoiceViews() {}

    /** An invoice with its lines, payment request and payments. {@code total} is {@code totalMinor} in major units. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InvoiceView(
            String id,
            String number,
            String customer,
            String customerExternalId,
            boolean livemode,
            String currency,
            String periodStart,
            String periodEnd,
            String status,
            long totalMinor,
            String total,
            String createdAt,
            @Nullable String finalizedAt,
            @Nullable String paidAt,
            List<LineView> lines,
            @Nullable PaymentRequestView paymentRequest,
            List<PaymentView> payments) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineView(
            String id, String price, String featureKey, String quantity, String unitAmount, long amountMinor) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PaymentRequestView(
            @Nullable String payUri,
            String memo,
            String amount,
            String assetCode,
            @Nullable String assetIssuer,
            String destination,
            String requestedAt) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PaymentView(
            String transactionHash,
            String amount,
            String assetCode,
            @Nullable String assetIssuer,
            @Nullable String sourceAccount,
            String paidAt) {}

    /** Builds the view of {@code invoice}. */
    public static InvoiceView of(
            Invoice invoice, List<InvoiceLine> lines, @Nullable PaymentRequest request, List<Payment> payments) {
        int digits = Currency.getInstance(invoice.currency()).getDefaultFractionDigits();
        return new InvoiceView(
                invoice.id(),
                invoice.number(),
                invoice.customerId(),
                invoice.customerExternalId(),
                invoice.livemode(),
                invoice.currency(),
                invoice.periodStart().toString(),
                invoice.periodEnd().toString(),
                invoice.status(),
                invoice.totalMinor(),
                BigDecimal.valueOf(invoice.totalMinor(), digits).toPlainString(),
                invoice.createdAt().toString(),
                text(invoice.finalizedAt()),
                text(invoice.paidAt()),
                lines.stream()
                        .map(l -> new LineView(
                                l.id(),
                                l.priceId(),
                                l.featureKey(),
                                l.quantity().toPlainString(),
                                l.unitAmount().toPlainString(),
                                l.amountMinor()))
                        .toList(),
                request == null
                        ? null
                        : new PaymentRequestView(
                                request.payUri(),
                                request.memo(),
                                request.amount().toPlainString(),
                                request.assetCode(),
                                request.assetIssuer(),
                                request.destination(),
                                request.requestedAt().toString()),
                payments.stream()
                        .map(p -> new PaymentView(
                                p.transactionHash(),
                                p.amount().toPlainString(),
                                p.assetCode(),
                                p.assetIssuer(),
                                p.sourceAccount(),
                                p.paidAt().toString()))
                        .toList());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
