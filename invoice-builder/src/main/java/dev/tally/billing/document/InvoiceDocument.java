package dev.tally.billing.document;

import dev.tally.billing.catalog.Customer;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.invoice.Payment;
import dev.tally.billing.invoice.PaymentRequest;
import dev.tally.billing.tenant.Organization;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an invoice document shows, every value already in the words and figures a reader sees: built from
 * the stored invoice by {@link #of} (pure), drawn by {@link InvoicePdf}. Dates are the customer's local days
 * in their time zone, as their billing periods are; amounts are at the currency's scale.
 *
 * @param seller the organization's name
 * @param customer the customer's name (or external id when it has none) and the details it has
 * @param testMode whether the invoice is of test mode, which the document marks visibly
 * @param facts the invoice's number, status and dates, in order
 * @param payment how to pay on Stellar, when payment-settler has requested a payment
 * @param memo the invoice's memo, shown above its lines (null: none)
 * @param footer the invoice's footer, shown below its totals (null: none)
 * @param amountCredited what the invoice's credit notes add up to; null when it has none
 */
public record InvoiceDocument(
        String seller,
        Party customer,
        String number,
        boolean testMode,
        List<Fact> facts,
        String currency,
        List<Line> lines,
        String total,
        String amountPaid,
        String amountDue,
        StellarPayment payment,
        String memo,
        String footer,
        String amountCredited) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d, uuuu", Locale.ENGLISH);

    /** A label and its value. */
    public record Fact(String label, String value) {}

    /** A name and the lines of details under it. */
    public record Party(String name, List<String> details) {}

    /** A line as shown: a unit price only where the line has one (usage rated by tiers has none). */
    public record Line(String description, String quantity, String unitPrice, String amount) {}

    /** The SEP-7 link ({@code web+stellar:pay?…}) the QR code encodes, and what it asks for in words. */
    public record StellarPayment(String payUri, List<Fact> details) {}

    /** The document of {@code invoice} with its {@code lines}, payment request (or null) and payments. */
    public static InvoiceDocument of(
            Organization organization,
            Customer customer,
            Invoice invoice,
            List<InvoiceLine> lines,
            PaymentRequest request,
            List<Payment> payments) {
        return of(organization, customer, invoice, lines, request, payments, 0);
    }

    /** As above, for an invoice whose credit notes add up to {@code creditedMinor}. */
    public static InvoiceDocument of(
            Organization organization,
            Customer customer,
            Invoice invoice,
            List<InvoiceLine> lines,
            PaymentRequest request,
            List<Payment> payments,
            long creditedMinor) {
        ZoneId zone = customer.zone();
        String currency = invoice.currency();
        InvoiceBalance balance = InvoiceBalance.of(invoice, payments, creditedMinor);

        // a draft (a preview while it is edited) has no number yet, nor an issue date
        boolean draft = invoice.number() == null;
        String number = draft ? "DRAFT" : invoice.number();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Invoice number", draft ? "not yet (draft)" : number));
        facts.add(new Fact("Status", invoice.status()));
        if (draft) {
            facts.add(new Fact("Created", day(invoice.createdAt(), zone)));
            if (invoice.autoFinalizeAt() != null) {
                facts.add(new Fact("Finalizes", day(invoice.autoFinalizeAt(), zone)));
            }
        } else {
            facts.add(new Fact(
                    "Issued", day(invoice.finalizedAt() != null ? invoice.finalizedAt() : invoice.createdAt(), zone)));
        }
        facts.add(new Fact("Period", days(invoice.periodStart(), invoice.periodEnd(), zone)));
        if (invoice.paidAt() != null) {
            facts.add(new Fact("Paid", day(invoice.paidAt(), zone)));
        }
        facts.add(new Fact("Dates in", zone.getId()));

        return new InvoiceDocument(
                organization.name(),
                party(customer),
                number,
                !invoice.livemode(),
                facts,
                currency,
                lines.stream().map(line -> line(line, currency)).toList(),
                money(invoice.totalMinor(), currency),
                money(balance.paidMinor(), currency),
                money(balance.dueMinor(), currency),
                request == null || request.payUri() == null ? null : payment(request),
                invoice.memo(),
                invoice.footer(),
                creditedMinor == 0 ? null : money(creditedMinor, currency));
    }

    /** The customer as a document shows it: its name (else external id) over its external id and contacts. */
    static Party party(Customer customer) {
        List<String> details = new ArrayList<>();
        details.add("Customer " + customer.externalId());
        if (customer.email() != null) {
            details.add(customer.email());
        }
        if (customer.phone() != null) {
            details.add(customer.phone());
        }
        return new Party(customer.name() != null ? customer.name() : customer.externalId(), details);
    }

    static Line line(InvoiceLine line, String currency) {
        return new Line(
                InvoiceViews.description(line, currency),
                plain(line.quantity()),
                line.unitAmount() == null ? null : unitPrice(line.unitAmount(), currency),
                money(line.amountMinor(), currency));
    }

    private static StellarPayment payment(PaymentRequest request) {
        String asset = request.assetIssuer() == null
                ? request.assetCode()
                : request.assetCode() + " (issuer " + request.assetIssuer() + ")";
        return new StellarPayment(
                request.payUri(),
                List.of(
                        new Fact("Amount", request.amount().toPlainString() + " " + request.assetCode()),
                        new Fact("Asset", asset),
                        new Fact("Destination", request.destination()),
                        new Fact("Memo", request.memo())));
    }

    /** A unit price: all its digits, but at least the currency's (0.05, not 0.050000000 nor 0.5 for 0.50). */
    static String unitPrice(BigDecimal amount, String currency) {
        BigDecimal stripped = amount.stripTrailingZeros();
        int scale = Math.max(stripped.scale(), Currencies.minorDigits(currency));
        return amount.setScale(scale).toPlainString();
    }

    static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    static String money(long minor, String currency) {
        return Currencies.fromMinor(minor, currency).toPlainString();
    }

    static String day(Instant instant, ZoneId zone) {
        return DAY.format(instant.atZone(zone));
    }

    /** {@code [start, end)} by its first and last local day. */
    static String days(Instant start, Instant end, ZoneId zone) {
        String first = day(start, zone);
        String last = day(end.minusSeconds(1), zone);
        return first.equals(last) ? first : first + " – " + last;
    }
}
