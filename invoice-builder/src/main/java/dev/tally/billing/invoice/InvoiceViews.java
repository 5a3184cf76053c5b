package dev.tally.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.schemas.rules.Currencies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of invoices in the finance API. */
public final class InvoiceViews {

    private InvoiceViews() {}

    /**
     * An invoice with its lines, payment request and payments. {@code total} is {@code totalMinor} in major
     * units; {@code subscription} the subscription the billing cycle invoiced (null: a period close's invoice).
     * {@code amountPaid}/{@code amountDue} come from {@link InvoiceBalance} (nothing is due on a paid, void or
     * uncollectible invoice; credit notes lower it by {@code amountCredited}, the sum of the invoice's credit notes);
     * {@code dueAt} is set at finalization from the payment terms, and {@code overdue}
     * is true while it is open past {@code dueAt} (by the billing clock). {@code memo} and {@code footer} are
     * shown above and below the lines of its document; {@code autoFinalizeAt}, on a draft only, is when it
     * finalizes by itself (null: only by {@code POST …/finalize}).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InvoiceView(
            String id,
            String number,
            String customer,
            String customerExternalId,
            @Nullable String subscription,
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
            long amountPaidMinor,
            String amountPaid,
            long amountDueMinor,
            String amountDue,
            long amountCreditedMinor,
            String amountCredited,
            @Nullable String dueAt,
            boolean overdue,
            @Nullable String voidedAt,
            @Nullable String voidReason,
            @Nullable String uncollectibleAt,
            @Nullable String uncollectibleReason,
            boolean paidOutOfBand,
            List<LineView> lines,
            @Nullable PaymentRequestView paymentRequest,
            List<PaymentView> payments,
            @Nullable String memo,
            @Nullable String footer,
            @Nullable String autoFinalizeAt) {}

    /**
     * A line. {@code kind}: usage, adjustment, flat_fee, proration_credit, proration_charge,
     * cancellation_credit, credit_carried_forward, credit_applied or one_off (see {@link LineKind}). {@code
     * periodStart}/{@code periodEnd}: the period or span the line bills (an adjustment's earlier one; null
     * on credit lines). Adjustments also show the quantity billed for it before ({@code previousQuantity})
     * and the quantity it stands at now ({@code restatedQuantity}); their {@code quantity} is the
     * difference, maybe negative. {@code unitAmount} is null on a subscription's usage and adjustments
     * and on the close's lines of models without one (tiers, packages…): they are rated by their price's
     * model, not by one unit amount.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineView(
            String id,
            String kind,
            String description,
            @Nullable String price,
            @Nullable String featureKey,
            @Nullable String periodStart,
            @Nullable String periodEnd,
            @Nullable String previousQuantity,
            @Nullable String restatedQuantity,
            String quantity,
            @Nullable String unitAmount,
            long amountMinor,
            String amount) {}

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

    /**
     * Builds the view of {@code invoice} at {@code now} (whether it is overdue), whose credit notes add up to
     * {@code creditedMinor}.
     */
    public static InvoiceView of(
            Invoice invoice,
            List<InvoiceLine> lines,
            @Nullable PaymentRequest request,
            List<Payment> payments,
            long creditedMinor,
            Instant now) {
        int digits = Currencies.minorDigits(invoice.currency());
        InvoiceBalance balance = InvoiceBalance.of(invoice, payments, creditedMinor);
        return new InvoiceView(
                invoice.id(),
                invoice.number(),
                invoice.customerId(),
                invoice.customerExternalId(),
                invoice.subscriptionId(),
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
                balance.paidMinor(),
                BigDecimal.valueOf(balance.paidMinor(), digits).toPlainString(),
                balance.dueMinor(),
                BigDecimal.valueOf(balance.dueMinor(), digits).toPlainString(),
                creditedMinor,
                BigDecimal.valueOf(creditedMinor, digits).toPlainString(),
                text(invoice.dueAt()),
                invoice.overdueAt(now),
                text(invoice.voidedAt()),
                invoice.voidReason(),
                text(invoice.uncollectibleAt()),
                invoice.uncollectibleReason(),
                invoice.paidOutOfBand(),
                lines.stream().map(l -> line(l, invoice.currency(), digits)).toList(),
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
                        .toList(),
                invoice.memo(),
                invoice.footer(),
                InvoiceStatus.DRAFT.is(invoice.status()) ? text(invoice.autoFinalizeAt()) : null);
    }

    private static LineView line(InvoiceLine l, String currency, int digits) {
        UsagePeriod period = l.usagePeriod();
        BigDecimal restated =
                l.previousQuantity() == null ? null : l.previousQuantity().add(l.quantity());
        String amount = BigDecimal.valueOf(l.amountMinor(), digits).toPlainString();
        return new LineView(
                l.id(),
                l.kind().text(),
                description(l, currency),
                l.priceId(),
                l.featureKey(),
                period == null ? null : period.start().toString(),
                period == null ? null : period.end().toString(),
                l.previousQuantity() == null ? null : l.previousQuantity().toPlainString(),
                restated == null ? null : restated.toPlainString(),
                l.quantity().toPlainString(),
                l.unitAmount() == null ? null : l.unitAmount().toPlainString(),
                l.amountMinor(),
                amount);
    }

    /**
     * What {@code l}, a line of an invoice in {@code currency}, bills in words: its own description, or for a
     * line of the period close (which stores none) one composed from its fields.
     */
    public static String description(InvoiceLine l, String currency) {
        return l.description() != null ? l.description() : closeDescription(l, currency);
    }

    private static String closeDescription(InvoiceLine l, String currency) {
        UsagePeriod period = l.usagePeriod();
        return switch (l.kind()) {
            case USAGE -> l.featureKey() + " usage, " + period;
            case ADJUSTMENT ->
                "Adjustment of " + l.featureKey() + " usage for the period " + period
                        + " (invoiced " + l.previousQuantity().toPlainString() + ", restated "
                        + l.previousQuantity().add(l.quantity()).toPlainString() + ")";
            case CREDIT_CARRIED_FORWARD ->
                "Credit of " + Currencies.fromMinor(l.amountMinor(), currency).toPlainString() + " " + currency
                        + " carried forward to the next invoice";
            case CREDIT_APPLIED -> "Credit carried forward from earlier invoices";
            case FLAT_FEE, PRORATION_CREDIT, PRORATION_CHARGE, CANCELLATION_CREDIT, ONE_OFF ->
                throw new IllegalStateException("a subscription's line " + l.id() + " has no description");
        };
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
