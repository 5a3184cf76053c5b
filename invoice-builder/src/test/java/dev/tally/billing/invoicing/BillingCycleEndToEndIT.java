package dev.tally.billing.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The billing cycle end to end on the real broker and PostgreSQL: metering is played by a transactional
 * producer sending closed windows and finality watermarks on both usage-events partitions; the ledger and
 * finality consumers, the cycle worker (every 100 ms, margin one minute) and the API run as deployed; only
 * "now" is placed by the test. Pro plan 49.00 and Team plan 99.00 a month in advance, API calls graduated
 * (1,000 free, up to 10,000 at 0.002, beyond at 0.001), UTC.
 *
 * <pre>
 *  Mar 1        Mar 15               Apr 1            Apr 15                Apr 20          May 15
 *  subscribe    trial ends:          upgrade to Team: Team, Apr 15–May 15   cancel at       usage Apr 15–May 15
 *  (trial)      Pro, Mar 15–Apr 15   -22.13 Pro       99.00 + usage         period end      2,500 → 3.00; then
 *  700 calls    49.00                +44.71 Team      12,345 → 20.345 → 20.34               nothing more
 *  (never billed)                    (14 of 31 days)  (HALF_EVEN)
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingCycleEndToEndIT implements TestPropertyProvider {

    private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant MAR_15 = Instant.parse("2026-03-15T00:00:00Z");
    private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant APR_15 = Instant.parse("2026-04-15T00:00:00Z");
    private static final Instant APR_20 = Instant.parse("2026-04-20T00:00:00Z");
    private static final Instant MAY_15 = Instant.parse("2026-05-15T00:00:00Z");
    private static final Instant JUN_20 = Instant.parse("2026-06-20T00:00:00Z");
    /** Finality and "now" run this far past each step: one minute of margin and one to spare. */
    private static final Duration PAST = Duration.ofMinutes(2);

    /** "Now" of this test's server (see {@link PlacedClock}). */
    private static final MutableClock CLOCK = PlacedClocks.place("cycle-e2e", new MutableClock(MAR_1));

    private final MutableClock clock = CLOCK;

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    @Inject
    BillingCycleWorker worker;

    private String org;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties =
                TestServer.properties(TestPostgres.shared().createDatabase(), "cycle-e2e");
        properties.put("tally.billing.cycle.interval", "100ms");
        properties.put("tally.billing.finality-margin", "1m");
        properties.put(PlacedClocks.PROPERTY, "cycle-e2e");
        return properties;
    }

    @Test
    void shouldInvoiceATrialAnUpgradeTieredUsageAndACancellationByItselfExactToTheCent() {
        org = api.newOrganizationFinalizingAtOnce("Cycle");
        String key = api.newKey(org);
        String pro = flatPrice(key, "Pro plan", "49");
        String team = flatPrice(key, "Team plan", "99");
        api.post(key, "/v1/products", Map.of("featureKey", "api_call", "name", "API calls"));
        String calls = id(api.post(
                key,
                "/v1/prices",
                Map.of(
                        "product",
                        "api_call",
                        "model",
                        "graduated",
                        "tiers",
                        List.of(
                                Map.of("upTo", "1000", "unitAmount", "0"),
                                Map.of("upTo", "10000", "unitAmount", "0.002"),
                                Map.of("unitAmount", "0.001")))));
        id(api.post(key, "/v1/customers", Map.of("externalId", "acme")));
        Reply subscribed = api.post(
                key,
                "/v1/subscriptions",
                Map.of(
                        "customer",
                        "acme",
                        "items",
                        List.of(Map.of("price", pro, "quantity", 1), Map.of("price", calls)),
                        "trialEnd",
                        MAR_15.toString()));
        String subscription = id(subscribed);
        String proItem = ApiCalls.list(subscribed.body().get("items")).stream()
                .filter(item -> pro.equals(item.get("price")))
                .map(item -> (String) item.get("id"))
                .findFirst()
                .orElseThrow();

        // the trial: its usage is never billed; the fee starts when it ends
        meter(MAR_15.plus(PAST), window(Instant.parse("2026-03-05T10:00:00Z"), "700", 7));
        List<Map<String, Object>> first = awaitInvoices(key, 1);
        assertInvoice(first.getFirst(), 4900, line("flat_fee", pro, MAR_15, APR_15, 4900));

        // a mid-period upgrade, 14 of the period's 31 days before its end
        clock.set(APR_1);
        Reply upgraded = api.send(HttpRequest.PATCH(
                        "/v1/subscriptions/" + subscription,
                        Map.of("items", List.of(Map.of("id", proItem, "price", team, "quantity", 1))))
                .bearerAuth(key));
        assertThat(upgraded.code()).as("%s", upgraded.body()).isEqualTo(200);
        meter(APR_1.plus(PAST), window(Instant.parse("2026-03-20T10:00:00Z"), "4000", 40));
        List<Map<String, Object>> second = awaitInvoices(key, 2);
        assertInvoice(
                second.getLast(),
                2258,
                line("proration_credit", pro, APR_1, APR_15, -2213),
                line("proration_charge", team, APR_1, APR_15, 4471));

        // the period ends: its usage across the tiers, and Team ahead
        meter(APR_15.plus(PAST), window(Instant.parse("2026-04-10T10:00:00Z"), "8345", 83));
        List<Map<String, Object>> third = awaitInvoices(key, 3);
        assertInvoice(
                third.getLast(),
                11934,
                line("flat_fee", team, APR_15, Instant.parse("2026-05-15T00:00:00Z"), 9900),
                line("usage", calls, MAR_15, APR_15, 2034));
        Map<String, Object> usageLine =
                ApiCalls.list(third.getLast().get("lines")).getLast();
        assertThat(new BigDecimal((String) usageLine.get("quantity"))).isEqualByComparingTo("12345");
        Reply quote = api.post(key, "/v1/prices/" + calls + "/quote", Map.of("quantity", "12345"));
        assertThat(quote.code()).as("%s", quote.body()).isEqualTo(200);
        assertThat(((Number) quote.body().get("amountMinor")).longValue())
                .as("the quote of the same usage says what the invoice says")
                .isEqualTo(((Number) usageLine.get("amountMinor")).longValue());

        // cancelled at period end: the last period's usage, and nothing after
        clock.set(APR_20);
        Reply cancelled = api.post(key, "/v1/subscriptions/" + subscription + "/cancel", Map.of("atPeriodEnd", true));
        assertThat(cancelled.code()).as("%s", cancelled.body()).isEqualTo(200);
        meter(MAY_15.plus(PAST), window(Instant.parse("2026-05-01T10:00:00Z"), "2500", 25));
        List<Map<String, Object>> fourth = awaitInvoices(key, 4);
        assertInvoice(fourth.getLast(), 300, line("usage", calls, APR_15, MAY_15, 300));

        meter(JUN_20.plus(PAST));
        assertThat(worker.runOnce().subscriptionsBilled())
                .as("nothing is due any more")
                .isZero();
        assertThat(invoices(key)).hasSize(4);
        assertThat(api.get(key, "/v1/subscriptions/" + subscription).body()).containsEntry("status", "canceled");
    }

    private String flatPrice(String key, String name, String amount) {
        String product = id(api.post(key, "/v1/products", Map.of("type", "recurring", "name", name)));
        return id(api.post(
                key,
                "/v1/prices",
                Map.of("product", product, "model", "flat", "flatAmount", amount, "interval", "month")));
    }

    /** Metering closes {@code windows} and both usage-events partitions through {@code through}; now is then. */
    private void meter(Instant through, UsageAggregate... windows) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.shared().bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "metering-" + UUID.randomUUID(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (UsageAggregate window : windows) {
                send(producer, topics.usageAggregates(), window.getAggregateId(), window);
            }
            for (int partition = 0; partition < 2; partition++) {
                UsageFinality watermark = UsageFinality.newBuilder()
                        .setPartition(partition)
                        .setClosedThrough(through)
                        .setProducedAt(through)
                        .build();
                send(producer, topics.usageFinality(), Keys.finality(partition), watermark);
            }
            producer.commitTransaction();
        }
        clock.set(through);
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes));
    }

    /** Customer acme's hour of API calls from {@code start}, closed. */
    private UsageAggregate window(Instant start, String quantity, long events) {
        return UsageAggregate.newBuilder()
                .setOrganizationId(org)
                .setCustomerId("acme")
                .setFeature("api_call")
                .setLivemode(false)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(3600))
                .setQuantity(new BigDecimal(quantity).setScale(9))
                .setEventCount(events)
                .setClosed(true)
                .setKind(AggregateKind.WINDOW)
                .setAggregateId(Keys.window(org, false, "acme", "api_call", start.toEpochMilli()))
                .setRevision(0)
                .build();
    }

    /** The customer's invoices, oldest first, once there are {@code count}. */
    private List<Map<String, Object>> awaitInvoices(String key, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> invoices(key).size() >= count);
        List<Map<String, Object>> invoices = invoices(key);
        assertThat(invoices).hasSize(count);
        return invoices;
    }

    private List<Map<String, Object>> invoices(String key) {
        List<Map<String, Object>> newestFirst =
                ApiCalls.list(api.get(key, "/v1/invoices?customer=acme").body().get("data"));
        return new ArrayList<>(newestFirst).reversed();
    }

    private record Line(String kind, String price, String periodStart, String periodEnd, long amountMinor) {}

    private static Line line(String kind, String price, Instant start, Instant end, long amountMinor) {
        return new Line(kind, price, start.toString(), end.toString(), amountMinor);
    }

    private static void assertInvoice(Map<String, Object> invoice, long totalMinor, Line... lines) {
        assertThat(invoice).containsEntry("status", "finalized");
        assertThat(((Number) invoice.get("totalMinor")).longValue()).isEqualTo(totalMinor);
        assertThat(ApiCalls.list(invoice.get("lines")))
                .extracting(
                        l -> l.get("kind"),
                        l -> l.get("price"),
                        l -> l.get("periodStart"),
                        l -> l.get("periodEnd"),
                        l -> ((Number) l.get("amountMinor")).longValue())
                .containsExactly(List.of(lines).stream()
                        .map(l -> tuple(l.kind(), l.price(), l.periodStart(), l.periodEnd(), l.amountMinor()))
                        .toArray(org.assertj.core.groups.Tuple[]::new));
    }

    private static String id(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isBetween(200, 201);
        return (String) reply.body().get("id");
    }
}
