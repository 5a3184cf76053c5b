package dev.tally.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.stellar.sdk.KeyPair;

/**
 * The end-to-end demo: an app posts usage events (one of them twice), the windows close, finance
 * closes the billing period, the customer pays the invoice on the (simulated) Stellar network,
 * and the paid invoice is printed with its lines and payment.
 */
final class Demo {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    private static final List<BigDecimal> QUANTITIES =
            List.of(new BigDecimal("3"), new BigDecimal("4.5"), new BigDecimal("2"), new BigDecimal("0.5"));

    private final TallyClient api;
    private final LocalStellar stellar;
    private final StellarPayer payer;
    private final PrintStream out;

    Demo(TallyClient api, LocalStellar stellar, StellarPayer payer, PrintStream out) {
        this.api = api;
        this.stellar = stellar;
        this.payer = payer;
        this.out = out;
    }

    /** Runs the demo for {@code tenant} and returns the paid invoice as the API shows it. */
    JsonNode run(LocalSetup.DemoTenant tenant) {
        Instant periodStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        BigDecimal unbilledBefore = unbilled(tenant);

        BigDecimal posted = postEvents(tenant);
        BigDecimal expected = unbilledBefore.add(posted);
        out.printf(
                "Waiting for the usage windows to close (%s %s expected in the ledger)...%n",
                expected.stripTrailingZeros().toPlainString(), tenant.feature());
        Polling.until("the ledger to hold the posted usage", STEP_TIMEOUT, () -> Optional.of(unbilled(tenant))
                .filter(quantity -> quantity.compareTo(expected) == 0));

        Instant periodEnd = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        out.printf("Closing the billing period %s .. %s%n", periodStart, periodEnd);
        JsonNode closed = api.closePeriod(periodStart, periodEnd);
        String invoiceId = StreamSupport.stream(closed.path("invoices").spliterator(), false)
                .filter(invoice -> tenant.customer()
                        .equals(invoice.path("customerExternalId").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("closing the period made no invoice: " + closed))
                .path("id")
                .asText();

        JsonNode request = Polling.until("the payment request of invoice " + invoiceId, STEP_TIMEOUT, () -> Optional.of(
                        api.invoice(invoiceId).path("paymentRequest"))
                .filter(r -> !r.isMissingNode() && !r.isNull()));
        out.printf("Payment requested: %s%n", request.path("payUri").asText());

        BigDecimal amount = new BigDecimal(request.path("amount").asText());
        KeyPair wallet = stellar.fundedPayer(amount);
        String hash = payer.pay(
                wallet,
                request.path("destination").asText(),
                stellar.asset(),
                amount,
                request.path("memo").asText());
        out.printf(
                "Paid %s %s from %s in Stellar transaction %s%n",
                amount.toPlainString(), request.path("assetCode").asText(), wallet.getAccountId(), hash);

        JsonNode paid = Polling.until(
                "invoice " + invoiceId + " to be paid", STEP_TIMEOUT, () -> Optional.of(api.invoice(invoiceId))
                        .filter(invoice -> "paid".equals(invoice.path("status").asText())));
        out.println();
        out.print(InvoicePrinter.format(paid));
        return paid;
    }

    private BigDecimal postEvents(LocalSetup.DemoTenant tenant) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < QUANTITIES.size(); i++) {
            String eventId = "demo-" + run + "-" + (i + 1);
            BigDecimal quantity = QUANTITIES.get(i);
            api.postEvent(eventId, tenant.customer(), tenant.feature(), quantity, Instant.now());
            out.printf(
                    "Posted event %s: %s used %s %s%n",
                    eventId, tenant.customer(), quantity.toPlainString(), tenant.feature());
            total = total.add(quantity);
        }
        String again = "demo-" + run + "-2";
        api.postEvent(again, tenant.customer(), tenant.feature(), QUANTITIES.get(1), Instant.now());
        out.printf("Posted event %s again (a retry): it must be counted once%n", again);
        out.printf(
                "Expected bill: %s × %s %s = %s %s%n",
                total.toPlainString(),
                tenant.unitPrice().toPlainString(),
                LocalSetup.CURRENCY,
                total.multiply(tenant.unitPrice()).setScale(2, RoundingMode.HALF_EVEN),
                LocalSetup.CURRENCY);
        return total;
    }

    private BigDecimal unbilled(LocalSetup.DemoTenant tenant) {
        return api.ledger(tenant.customer(), tenant.feature()).stream()
                .filter(entry -> !entry.path("billed").asBoolean())
                .map(entry -> new BigDecimal(entry.path("quantity").asText()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
