package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.Server;

/**
 * The whole pipeline, end to end, on its embedded default: a real Kafka broker (KRaft), a real
 * PostgreSQL, the schema registry, every service, and the simulated Stellar network.
 *
 * <pre>
 *   app ──events (one sent twice)──▶ ingest-api ──▶ metering-streams ──2 s windows──▶ invoice-builder
 *   finance ──close period──▶ invoice (finalized) ──▶ payment-settler ──payment request (SEP-7)
 *   customer wallet ──signed Stellar payment with the memo──▶ Horizon ──▶ settler ──▶ invoice paid
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(90);
    private static final BigDecimal UNIT_PRICE = new BigDecimal("0.25");

    private LocalPipeline pipeline;
    private TallyClient admin;

    @BeforeAll
    void startPipeline(@TempDir Path dataDir) throws IOException {
        pipeline = LocalPipeline.start(
                dataDir,
                FreePorts.allocate(),
                Map.of(
                        "tally.metering.window-size", "PT2S",
                        "tally.metering.grace", "PT1S"));
        admin = new TallyClient(pipeline.apiUrl(), pipeline.adminToken());
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void shouldAnswerEachServicesOwnCheckOnTheSharedServer() throws Exception {
        String organizationId =
                admin.createOrganization("Shared server IT").path("id").asText();
        String key = admin.createApiKey(organizationId, false).path("key").asText();
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> events = http.send(
                HttpRequest.newBuilder(pipeline.apiUrl().resolve("/v1/events?atomic=true&atomic=false"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"customer\":\"c1\",\"feature\":\"ai_call\",\"quantity\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> invoices = http.send(
                HttpRequest.newBuilder(pipeline.apiUrl().resolve("/v1/invoices?limit=1&limit=2"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(events.statusCode()).isEqualTo(400);
        assertThat(events.body()).contains("\"code\":\"invalid_parameter\"", "\"field\":\"atomic\"");
        assertThat(invoices.statusCode()).isEqualTo(400);
        assertThat(invoices.body()).contains("\"code\":\"duplicate_field\"", "\"field\":\"limit\"");
    }

    @Test
    void shouldBillEachPostedEventOnceAndSettleTheInvoiceWithOneStellarPayment() {
        // set-up: an organization, its key, a customer subscribed to 0.25 USD per ai_call
        String organizationId =
                admin.createOrganization("Pipeline IT").path("id").asText();
        TallyClient app =
                admin.as(admin.createApiKey(organizationId, false).path("key").asText());
        app.createCustomer("cust_42", "Customer 42");
        String productId = app.createProduct("ai_call", "AI calls").path("id").asText();
        String priceId =
                app.createPrice(productId, "USD", UNIT_PRICE).path("id").asText();
        app.subscribe("cust_42", priceId);

        // usage: 3 + 4.5 + 2 + 0.5 = 10 units; event evt-2 is retried and must count once
        Instant periodStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<BigDecimal> quantities =
                List.of(new BigDecimal("3"), new BigDecimal("4.5"), new BigDecimal("2"), new BigDecimal("0.5"));
        for (int i = 0; i < quantities.size(); i++) {
            JsonNode answer = app.postEvent("evt-" + (i + 1), "cust_42", "ai_call", quantities.get(i), Instant.now());
            assertThat(answer.path("status").asText()).isEqualTo("accepted");
        }
        app.postEvent("evt-2", "cust_42", "ai_call", new BigDecimal("4.5"), Instant.now());
        BigDecimal posted = new BigDecimal("10");

        await("closed windows in the ledger")
                .atMost(PIPELINE_TIMEOUT)
                .until(() -> app.ledgerQuantity("cust_42", "ai_call").compareTo(posted) >= 0);
        assertThat(app.ledgerQuantity("cust_42", "ai_call")).isEqualByComparingTo(posted);

        // finance closes the period: one finalized invoice, total = quantity × unit price = sum of lines
        JsonNode closed = app.closePeriod(periodStart, Instant.now().plusSeconds(1));
        List<JsonNode> invoices = StreamSupport.stream(closed.path("invoices").spliterator(), false)
                .toList();
        assertThat(invoices).hasSize(1);
        JsonNode invoice = invoices.get(0);
        String invoiceId = invoice.path("id").asText();
        assertThat(invoice.path("status").asText()).isEqualTo("finalized");
        assertThat(invoice.path("lines")).hasSize(1);
        JsonNode line = invoice.path("lines").get(0);
        assertThat(new BigDecimal(line.path("quantity").asText())).isEqualByComparingTo(posted);
        long expectedTotalMinor = posted.multiply(UNIT_PRICE).movePointRight(2).longValueExact();
        assertThat(line.path("amountMinor").asLong()).isEqualTo(expectedTotalMinor);
        assertThat(invoice.path("totalMinor").asLong()).isEqualTo(expectedTotalMinor);

        // settlement: the payment request arrives, a customer's wallet pays it with a signed transaction
        JsonNode request = await("a payment request")
                .atMost(PIPELINE_TIMEOUT)
                .until(() -> app.invoice(invoiceId).path("paymentRequest"), r -> !r.isMissingNode() && !r.isNull());
        BigDecimal amount = new BigDecimal(request.path("amount").asText());
        assertThat(amount).isEqualByComparingTo("2.5");
        assertThat(request.path("payUri").asText()).startsWith("web+stellar:pay?destination=");
        LocalStellar stellar = pipeline.stellar();
        KeyPair wallet = stellar.fundedPayer(amount);
        StellarPayer payer =
                new StellarPayer(new Server(stellar.horizonUrl()), new Network(stellar.networkPassphrase()));
        String hash = payer.pay(
                wallet,
                request.path("destination").asText(),
                stellar.asset(),
                amount,
                request.path("memo").asText());

        JsonNode paid = await("the invoice to be paid")
                .atMost(PIPELINE_TIMEOUT)
                .until(() -> app.invoice(invoiceId), i -> "paid"
                        .equals(i.path("status").asText()));
        assertThat(paid.path("payments")).hasSize(1);
        assertThat(paid.path("payments").get(0).path("transactionHash").asText())
                .isEqualTo(hash);
        assertThat(new BigDecimal(paid.path("payments").get(0).path("amount").asText()))
                .isEqualByComparingTo(amount);
        assertThat(paid.path("totalMinor").asLong()).isEqualTo(expectedTotalMinor);
        assertThat(stellar.merchantBalance()).isEqualByComparingTo(amount);
    }

    @Test
    void shouldMeterByTheMetersDefinedInBillingAndBillTheMaximumLeftAfterARetraction() {
        // an organization that rejects features without a meter, and a MAX meter for seats at 2.00 USD
        String organizationId = admin.createOrganization("Meters IT").path("id").asText();
        admin.setUnknownFeaturePolicy(organizationId, "reject");
        TallyClient app =
                admin.as(admin.createApiKey(organizationId, false).path("key").asText());
        app.createCustomer("cust_seats", "Seats customer");
        app.createMeter("seats", "max", null);
        String productId = app.createProduct("seats", "Seats").path("id").asText();
        String priceId = app.createPrice(productId, "USD", new BigDecimal("2.00"))
                .path("id")
                .asText();
        app.subscribe("cust_seats", priceId);

        // every event at one instant, so all land in one window (on time or, if it closed, late)
        Instant at = Instant.now();
        await("ingest to know the seats meter")
                .atMost(PIPELINE_TIMEOUT)
                .ignoreException(TallyClient.UnexpectedAnswer.class)
                .until(() -> app.postEvent("seats-1", "cust_seats", "seats", new BigDecimal("3"), at)
                        .path("status")
                        .asText()
                        .equals("accepted"));
        assertThatThrownBy(() -> app.postEvent("typo-1", "cust_seats", "seatz", BigDecimal.ONE, at))
                .isInstanceOf(TallyClient.UnexpectedAnswer.class)
                .hasMessageContaining("unknown_feature");

        // max of 3, 7 and 5 is 7; the 7 is retracted, so 5 is billed
        app.postEvent("seats-2", "cust_seats", "seats", new BigDecimal("7"), at);
        app.postEvent("seats-3", "cust_seats", "seats", new BigDecimal("5"), at);
        assertThat(app.retract("seats-2-cancel", "cust_seats", "seats", "seats-2")
                        .path("status")
                        .asText())
                .isEqualTo("accepted");

        // events of one customer are metered in order: two events left and a max of 5 is the final state
        JsonNode window = await("the seats window, restated without the retracted event")
                .atMost(PIPELINE_TIMEOUT)
                .until(
                        () -> app.ledger("cust_seats", "seats"),
                        entries -> entries.size() == 1
                                && entries.getFirst().path("eventCount").asLong() == 2)
                .getFirst();
        assertThat(window.path("aggregation").asText()).isEqualToIgnoringCase("max");
        assertThat(new BigDecimal(window.path("quantity").asText())).isEqualByComparingTo("5");

        Instant day = at.truncatedTo(ChronoUnit.DAYS);
        JsonNode usage = app.usage("cust_seats", "seats", "day", day, day.plus(Duration.ofDays(1)), "UTC");
        assertThat(new BigDecimal(usage.path("data").get(0).path("quantity").asText()))
                .isEqualByComparingTo("5");

        JsonNode invoice = app.closePeriod(
                        at.truncatedTo(ChronoUnit.MINUTES), Instant.now().plusSeconds(1))
                .path("invoices")
                .get(0);
        assertThat(new BigDecimal(invoice.path("lines").get(0).path("quantity").asText()))
                .isEqualByComparingTo("5");
        assertThat(invoice.path("totalMinor").asLong()).isEqualTo(1_000L);
    }
}
