package dev.tally.billing;

import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceDraft;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.Payment;
import dev.tally.billing.invoice.PaymentRequest;
import dev.tally.billing.invoice.UsagePeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Finalized invoices written as the period close writes them ({@link InvoiceDao}: a draft, its lines, then
 * finalized with their sum as total), created at a chosen instant, for tests that read invoices back.
 */
public final class InvoiceFixtures {

    private final Jdbi jdbi;

    public InvoiceFixtures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The number of the {@code n}th test-mode invoice of an organization of prefix {@code prefix} finalized at
     * {@code finalizedAt}, spelled out as the README documents it: {@code ACME-TEST-2026-000001}.
     */
    public static String testModeNumber(String prefix, Instant finalizedAt, long n) {
        return prefix + "-TEST-" + finalizedAt.atZone(java.time.ZoneOffset.UTC).getYear() + "-"
                + String.format(java.util.Locale.ROOT, "%06d", n);
    }

    /** A usage line of the close: {@code quantity} of {@code feature} at {@code unitAmount}, {@code amountMinor} in all. */
    public record Usage(String price, String feature, String quantity, String unitAmount, long amountMinor) {}

    /** Product and per-unit price {@code price} of {@code feature} in {@code currency}, of organization {@code org}. */
    public void price(String org, String price, String feature, String currency, String unitAmount) {
        jdbi.useHandle(h -> {
            h.execute(
                    "INSERT INTO billing.products (id, organization_id, livemode, feature_key) VALUES (?, ?, false, ?)",
                    "prod_" + price,
                    org,
                    feature);
            h.execute(
                    "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                            + " model, definition) VALUES (?, ?, false, ?, ?, CAST(? AS numeric), 'per_unit',"
                            + " jsonb_build_object('currency', ?, 'model', 'per_unit', 'unitAmount', ?,"
                            + " 'interval', 'month', 'intervalCount', 1, 'billingTiming', 'in_arrears'))",
                    price,
                    org,
                    "prod_" + price,
                    currency,
                    unitAmount,
                    currency,
                    unitAmount);
        });
    }

    /**
     * A finalized test-mode invoice of customer {@code customerId} for {@code period}, created at {@code
     * createdAt}, of {@code lines}; returns its id.
     */
    public String issue(
            String org, String customerId, String currency, UsagePeriod period, Instant createdAt, List<Usage> lines) {
        return write(org, customerId, currency, period, createdAt, lines, true);
    }

    /**
     * A test-mode draft without a number, as a writer that keeps drafts would leave it (today the close and the
     * cycle finalize theirs in the same transaction); returns its id.
     */
    public String draft(
            String org, String customerId, String currency, UsagePeriod period, Instant createdAt, List<Usage> lines) {
        return write(org, customerId, currency, period, createdAt, lines, false);
    }

    private String write(
            String org,
            String customerId,
            String currency,
            UsagePeriod period,
            Instant createdAt,
            List<Usage> lines,
            boolean finalized) {
        String id = "inv_" + UUID.randomUUID().toString().replace("-", "");
        jdbi.useTransaction(h -> {
            // closed periods are immutable (V27): the period is inserted once, then found
            h.createUpdate("INSERT INTO billing.billing_periods (organization_id, livemode, period_start, period_end)"
                            + " VALUES (:org, false, :start, :end) ON CONFLICT DO NOTHING")
                    .bind("org", org)
                    .bind("start", period.start())
                    .bind("end", period.end())
                    .execute();
            long billingPeriod = h.createQuery("SELECT id FROM billing.billing_periods WHERE organization_id = :org"
                            + " AND NOT livemode AND period_start = :start AND period_end = :end")
                    .bind("org", org)
                    .bind("start", period.start())
                    .bind("end", period.end())
                    .mapTo(Long.class)
                    .one();
            String externalId = h.createQuery("SELECT external_id FROM billing.customers WHERE id = :id")
                    .bind("id", customerId)
                    .mapTo(String.class)
                    .one();
            InvoiceDao invoices = new InvoiceDao(h);
            String number = finalized ? "INV-" + id.substring(4, 12).toUpperCase(java.util.Locale.ROOT) : null;
            invoices.insertDraft(new InvoiceDraft(
                    id, number, org, false, customerId, externalId, billingPeriod, null, currency, period));
            h.execute("UPDATE billing.invoices SET created_at = ? WHERE id = ?", createdAt, id);
            long total = 0;
            int n = 0;
            for (Usage line : lines) {
                invoices.insertLine(
                        new InvoiceLine(
                                id + "_l" + (++n),
                                id,
                                LineKind.USAGE,
                                line.price(),
                                line.feature(),
                                new BigDecimal(line.quantity()),
                                new BigDecimal(line.unitAmount()),
                                line.amountMinor(),
                                period,
                                null),
                        n);
                total += line.amountMinor();
            }
            if (finalized) {
                invoices.finalizeDraft(id, total, createdAt);
            }
        });
        return id;
    }

    /** The payment request payment-settler would have sent for invoice {@code id}. */
    public void requestPayment(String id, String payUri, String amount) {
        jdbi.useHandle(h -> new InvoiceDao(h)
                .upsertPaymentRequest(
                        new PaymentRequest(
                                id,
                                payUri,
                                id,
                                new BigDecimal(amount),
                                "USDC",
                                "GCISSUERISSUERISSUERISSUERISSUERISSUERISSUERISSUERISSU",
                                "GDESTINATIONDESTINATIONDESTINATIONDESTINATIONDESTINATI",
                                Instant.parse("2026-12-01T00:00:05Z")),
                        "evt-" + id));
    }

    /** A recorded Stellar payment of {@code amount} on invoice {@code id}. */
    public void pay(String id, String transactionHash, String amount) {
        jdbi.useHandle(h -> new InvoiceDao(h)
                .insertPayment(
                        new Payment(
                                id,
                                transactionHash,
                                new BigDecimal(amount),
                                "USDC",
                                null,
                                "GSOURCE",
                                Instant.parse("2026-12-02T09:00:00Z")),
                        "evt-" + transactionHash));
    }
}
