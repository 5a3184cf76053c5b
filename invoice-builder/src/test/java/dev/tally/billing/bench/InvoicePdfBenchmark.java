package dev.tally.billing.bench;

import dev.tally.billing.catalog.Customer;
import dev.tally.billing.document.InvoiceDocument;
import dev.tally.billing.document.InvoicePdf;
import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.Payment;
import dev.tally.billing.invoice.PaymentRequest;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.tenant.Organization;
import dev.tally.billing.tenant.OrganizationFields;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rendering the PDF of a 20-line invoice with its payment link and QR code ({@link InvoiceDocument#of} then
 * {@link InvoicePdf#render}), on one thread, after a warm-up: invoices per second and the PDF's size. The
 * reading from PostgreSQL is not timed (a few indexed queries). A program, not a test.
 *
 * <p>Arguments: {@code invoices runs} (defaults {@code 2000 3}).
 */
public final class InvoicePdfBenchmark {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

    private InvoicePdfBenchmark() {}

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<InvoiceLine> lines = new ArrayList<>();
        long total = 0;
        for (int k = 1; k <= 20; k++) {
            long amount = 125L * k;
            total += amount;
            lines.add(new InvoiceLine(
                    "il_" + k,
                    "inv_bench",
                    LineKind.USAGE,
                    "price_" + k,
                    "feature_number_" + k,
                    new BigDecimal(25 * k + ".5"),
                    new BigDecimal("0.05"),
                    amount,
                    new UsagePeriod(NOV, DEC),
                    null));
        }
        Organization organization = new Organization(
                "org_bench",
                "Acme Analytics",
                UnknownFeaturePolicy.ACCEPT_AS_SUM,
                "UTC",
                "ACMEANALYTIC",
                PaymentTerms.NET_30,
                OrganizationFields.DEFAULT_GRACE_DAYS,
                NOV,
                NOV,
                AutoFinalizeDelay.DEFAULT,
                false);
        Customer customer = new Customer(
                "cus_1",
                "org_bench",
                false,
                "cust_42",
                "Ada Lovelace & Co",
                "ada@example.com",
                "+14155550123",
                "UTC",
                "USD",
                Map.of(),
                Map.of(),
                null,
                1,
                NOV,
                NOV,
                null);
        Invoice invoice = new Invoice(
                "inv_bench",
                "ACMEANALYTIC-2026-000001",
                "org_bench",
                false,
                "cus_1",
                "cust_42",
                "USD",
                NOV,
                DEC,
                "finalized",
                total,
                DEC,
                DEC,
                null,
                null,
                DEC.plus(java.time.Duration.ofDays(30)),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null);
        String payUri = "web+stellar:pay?destination=GBAIDESTINATIONDESTINATIONDESTINATIONDESTINATIONDES"
                + "&amount=262.5000000&asset_code=USDC&asset_issuer=GC43ISSUERISSUERISSUERISSUERISSUERISSUERISSUERISS"
                + "&memo=inv_bench&memo_type=MEMO_TEXT&network_passphrase=Test%20SDF%20Network%20%3B%20September%202015";
        PaymentRequest request = new PaymentRequest(
                "inv_bench", payUri, "inv_bench", new BigDecimal("262.5000000"), "USDC", "GC43", "GBAI", DEC);
        List<Payment> payments = List.of();

        for (int i = 0; i < 300; i++) {
            InvoicePdf.render(InvoiceDocument.of(organization, customer, invoice, lines, request, payments));
        }
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            double loadBefore = BenchFigures.load();
            BenchFigures.HeapPeak heap = BenchFigures.HeapPeak.start();
            long bytes = 0;
            long start = System.nanoTime();
            for (int i = 0; i < invoices; i++) {
                bytes += InvoicePdf.render(
                                InvoiceDocument.of(organization, customer, invoice, lines, request, payments))
                        .length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rates.add(invoices / seconds);
            System.out.printf(
                    "run=%d invoices=%d %.2f s invoices/s=%.0f ms/invoice=%.2f pdf=%d bytes peakHeap=%d MB load=%.2f->%.2f%n",
                    run,
                    invoices,
                    seconds,
                    invoices / seconds,
                    seconds * 1000 / invoices,
                    bytes / invoices,
                    heap.stop() >> 20,
                    loadBefore,
                    BenchFigures.load());
        }
        System.out.printf("MEDIAN invoices/s=%.0f (20 lines each)%n", BenchFigures.median(rates));
    }
}
