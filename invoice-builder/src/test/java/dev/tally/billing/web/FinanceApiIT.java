package dev.tally.billing.web;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The finance API end to end inside invoice-builder: real PostgreSQL, Kafka and registry. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinanceApiIT implements TestPropertyProvider {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties =
                TestServer.properties(TestPostgres.shared().createDatabase(), "api");
        properties.put("tally.billing.retry-backoff", "200ms");
        return properties;
    }

    @Test
    void shouldBillUsageIntoAFinalizedInvoiceAndMarkItPaidOnce() {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Acme")).body().get("id");
        Map<String, Object> created =
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body();
        String key = (String) created.get("key");
        assertThat(key).startsWith("mk_test_");
        assertThat(created.get("prefix")).isEqualTo(ApiKeys.displayPrefix(key));
        assertThat(created.get("livemode")).isEqualTo(false);

        assertThat(post(key, "/v1/products", Map.of("featureKey", "ai_call", "name", "AI calls"))
                        .code())
                .isEqualTo(201);
        var price = post(key, "/v1/prices", Map.of("product", "ai_call", "currency", "USD", "unitAmount", "0.05"));
        assertThat(price.body().get("unitAmount")).isEqualTo("0.050000000");
        var customer = post(key, "/v1/customers", Map.of("externalId", "c1", "name", "Customer One"));
        assertThat(customer.code()).isEqualTo(201);
        var subscription = post(
                key,
                "/v1/subscriptions",
                Map.of("customer", "c1", "price", price.body().get("id")));
        assertThat(subscription.body().get("customer"))
                .isEqualTo(customer.body().get("id"));

        produce(
                topics.usageAggregates(),
                List.of(
                        window(org, "2026-11-02T10:00:00Z", "3"),
                        window(org, "2026-11-02T11:00:00Z", "5.5"),
                        window(org, "2026-11-02T11:00:00Z", "5.5")));
        // a late event of 2 restates the 10:00 window whole: revision 1, quantity 3 + 2
        UsageAggregate restated = window(org, "2026-11-02T10:00:00Z", "5");
        restated.setKind(AggregateKind.CORRECTION);
        restated.setRevision(1L);
        restated.setAggregateId(restated.getAggregateId() + "#1");
        produce(topics.usageCorrections(), List.of(restated, restated));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries(key).size() == 3);
        assertThat(entries(key))
                .extracting(e -> e.get("windowStart"), e -> e.get("revision"), e -> e.get("superseded"))
                .containsExactly(
                        tuple("2026-11-02T10:00:00Z", 0, true),
                        tuple("2026-11-02T10:00:00Z", 1, false),
                        tuple("2026-11-02T11:00:00Z", 0, false));
        assertThat(entries(key).get(1)).containsEntry("aggregation", "sum").containsEntry("kind", "correction");

        var closed = post(
                key, "/v1/billing-periods/close", Map.of("periodStart", NOV.toString(), "periodEnd", DEC.toString()));
        assertThat(closed.code()).isEqualTo(201);
        List<Map<String, Object>> invoices = list(closed.body().get("invoices"));
        assertThat(invoices).hasSize(1);
        Map<String, Object> invoice = invoices.getFirst();
        String invoiceId = (String) invoice.get("id");
        // 10.5 × 0.05 = 52.5 cents → 52 (HALF_EVEN)
        assertThat(invoice.get("totalMinor")).isEqualTo(52);
        assertThat(invoice.get("total")).isEqualTo("0.52");
        assertThat(invoice.get("status")).isEqualTo("finalized");
        assertThat(list(invoice.get("lines"))).singleElement().satisfies(line -> {
            assertThat(line.get("quantity")).isEqualTo("10.500000000");
            assertThat(line.get("kind")).isEqualTo("usage");
            assertThat(line.get("periodStart")).isEqualTo(NOV.toString());
            assertThat(line.get("amount")).isEqualTo("0.52");
        });

        var again = post(
                key, "/v1/billing-periods/close", Map.of("periodStart", NOV.toString(), "periodEnd", DEC.toString()));
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.body().get("created")).isEqualTo(false);
        assertThat(list(again.body().get("invoices")))
                .extracting(i -> i.get("id"))
                .containsExactly(invoiceId);
        assertThat(entries(key))
                .allSatisfy(entry -> assertThat(entry.get("billed")).isEqualTo(true));

        List<InvoiceEvent> events = new ArrayList<>();
        try (var consumer = consumer(topics.invoiceEvents())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    // other tests of this class close periods too
                    if (r.value().getInvoiceId().equals(invoiceId)) {
                        events.add(r.value());
                    }
                });
                return !events.isEmpty();
            });
        }
        assertThat(events.getFirst().getType()).isEqualTo(InvoiceEventType.FINALIZED);
        assertThat(events.getFirst().getTotalMinor()).isEqualTo(52);

        produce(
                topics.paymentEvents(),
                List.of(
                        payment(org, invoiceId, PaymentEventType.REQUESTED, null),
                        payment(org, invoiceId, PaymentEventType.SETTLED, "tx-1"),
                        payment(org, invoiceId, PaymentEventType.SETTLED, "tx-1")));
        await().atMost(Duration.ofSeconds(60)).until(() -> "paid"
                .equals(get(key, "/v1/invoices/" + invoiceId).body().get("status")));
        Map<String, Object> paid = get(key, "/v1/invoices/" + invoiceId).body();
        assertThat(list(paid.get("payments"))).singleElement().satisfies(p -> assertThat(p.get("transactionHash"))
                .isEqualTo("tx-1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) paid.get("paymentRequest");
        assertThat(request.get("payUri")).isEqualTo("web+stellar:pay?destination=GDEST&amount=0.52");
        assertThat(list(get(key, "/v1/invoices?customer=c1&status=paid").body().get("data")))
                .hasSize(1);
        assertThat(list(get(key, "/v1/invoices?status=finalized").body().get("data")))
                .isEmpty();
    }

    /**
     * <pre>
     *  Nov: 10:00 = 40 (revision 0), invoiced 40 × 0.05 = 200¢
     *  Dec: 10:00 restated to 10 (revision 1, retractions), replayed; Dec 3 = 4
     *       → December: usage 4 (20¢), adjustment of November -30 (-150¢), 130¢ carried forward, total 0
     * </pre>
     */
    @Test
    void shouldShowARestatementOfAnInvoicedPeriodAsAnAdjustmentLineAndCarryTheCreditForward() {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Restated")).body().get("id");
        String key = (String)
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body().get("key");
        post(key, "/v1/products", Map.of("featureKey", "ai_call"));
        var price = post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "0.05"));
        post(key, "/v1/customers", Map.of("externalId", "c1"));
        post(
                key,
                "/v1/subscriptions",
                Map.of("customer", "c1", "price", price.body().get("id")));
        produce(topics.usageAggregates(), List.of(window(org, "2026-11-02T10:00:00Z", "40")));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries(key).size() == 1);
        var november = post(
                key, "/v1/billing-periods/close", Map.of("periodStart", NOV.toString(), "periodEnd", DEC.toString()));
        assertThat(list(november.body().get("invoices")).getFirst().get("totalMinor"))
                .isEqualTo(200);

        UsageAggregate restated = window(org, "2026-11-02T10:00:00Z", "10");
        restated.setKind(AggregateKind.CORRECTION);
        restated.setRevision(1L);
        restated.setAggregateId(restated.getAggregateId() + "#1");
        produce(topics.usageCorrections(), List.of(restated, restated));
        produce(topics.usageAggregates(), List.of(window(org, "2026-12-03T00:00:00Z", "4")));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries(key).size() == 3);
        post(
                key,
                "/v1/billing-periods/close",
                Map.of("periodStart", DEC.toString(), "periodEnd", "2027-01-01T00:00:00Z"));

        Map<String, Object> december = list(get(key, "/v1/invoices?status=finalized")
                        .body()
                        .get("data"))
                .getFirst();
        assertThat(december.get("periodStart")).isEqualTo(DEC.toString());
        assertThat(december.get("totalMinor")).isEqualTo(0);
        List<Map<String, Object>> lines = list(december.get("lines"));
        assertThat(lines)
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", 20), tuple("adjustment", -150), tuple("credit_carried_forward", 130));
        assertThat(lines.get(1))
                .containsEntry("periodStart", NOV.toString())
                .containsEntry("periodEnd", DEC.toString())
                .containsEntry("previousQuantity", "40.000000000")
                .containsEntry("restatedQuantity", "10.000000000")
                .containsEntry("quantity", "-30.000000000")
                .containsEntry("amount", "-1.50");
        assertThat((String) lines.get(1).get("description"))
                .contains("Adjustment of ai_call usage")
                .contains(NOV.toString());
        assertThat((String) lines.get(2).get("description")).contains("1.30 USD carried forward");
        assertThat(entries(key))
                .allSatisfy(entry -> assertThat(entry.get("billed")).isEqualTo(true));
    }

    @Test
    void shouldListUniqueCountStatementsByTheirCountNotTheirValuesAndBillTheUnionOnce() {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Seats")).body().get("id");
        String key = (String)
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body().get("key");
        post(key, "/v1/products", Map.of("featureKey", "ai_call"));
        var price = post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "1"));
        post(key, "/v1/customers", Map.of("externalId", "c1"));
        post(
                key,
                "/v1/subscriptions",
                Map.of("customer", "c1", "price", price.body().get("id")));
        UsageAggregate first = seats(window(org, "2026-11-02T10:00:00Z", "2"), "a", "b");
        // a restatement carries what it changes: c joins a and b
        UsageAggregate restated = seats(window(org, "2026-11-02T10:00:00Z", "3"), "c");
        restated.setEventCount(3);
        restated.setKind(AggregateKind.CORRECTION);
        restated.setRevision(1L);
        restated.setAggregateId(restated.getAggregateId() + "#1");
        produce(topics.usageAggregates(), List.of(first));
        // redelivered: recorded once, its values stored once
        produce(topics.usageCorrections(), List.of(restated, restated));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries(key).size() == 2);

        assertThat(entries(key))
                .allSatisfy(entry -> assertThat(entry).doesNotContainKeys("valuesAdded", "valuesRemoved"))
                .extracting(e -> e.get("aggregation"), e -> e.get("revision"), e -> e.get("quantity"))
                .containsExactly(tuple("unique_count", 0, "2.000000000"), tuple("unique_count", 1, "3.000000000"));
        var november = post(
                key, "/v1/billing-periods/close", Map.of("periodStart", NOV.toString(), "periodEnd", DEC.toString()));
        assertThat(list(november.body().get("invoices")).getFirst().get("totalMinor"))
                .isEqualTo(300);
    }

    /** {@code window} as a UNIQUE_COUNT statement adding {@code added} to its previous revision. */
    private static UsageAggregate seats(UsageAggregate window, String... added) {
        window.setAggregation(Aggregation.UNIQUE_COUNT);
        window.setEventCount(added.length);
        window.setValuesAdded(List.of(added));
        return window;
    }

    @Test
    void shouldPublishTheKeyRecordOnCreateAndRevokeAndRefuseTheRevokedKey() {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Keys Inc")).body().get("id");
        Map<String, Object> created = admin(
                        "/v1/organizations/" + org + "/api-keys",
                        Map.of("livemode", true, "scopes", List.of("billing:read")))
                .body();
        String key = (String) created.get("key");
        assertThat(get(key, "/v1/invoices").code()).isEqualTo(200);

        var revoked = admin("/v1/api-keys/" + created.get("id") + "/revoke", Map.of());
        assertThat(revoked.code()).isEqualTo(200);
        assertThat(revoked.body().get("revokedAt")).isNotNull();
        assertThat(revoked.body()).containsEntry("key", null);
        assertError(get(key, "/v1/invoices"), 401, "api_key_revoked", null);

        List<ApiKeyRecord> records = new ArrayList<>();
        try (var consumer = consumer(topics.apiKeys())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().getOrganizationId().equals(org)) {
                        records.add(r.value());
                    }
                });
                return records.size() >= 2;
            });
        }
        assertThat(records).allSatisfy(r -> assertThat(r.getKeyHash()).isEqualTo(ApiKeys.hash(key)));
        assertThat(records.get(0).getRevokedAt()).isNull();
        assertThat(records.get(1).getRevokedAt()).isNotNull();
    }

    @Test
    void shouldRecordTheLastUseOfAKeyNeverMovingItBackAndListIt() throws Exception {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Used Keys")).body().get("id");
        Map<String, Object> created =
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body();
        String hash = ApiKeys.hash((String) created.get("key"));
        Map<String, Object> marker =
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body();
        String markerHash = ApiKeys.hash((String) marker.get("key"));
        assertThat(keys(org)).extracting(k -> k.get("lastUsedAt")).containsOnlyNulls();

        Instant used = Instant.parse("2026-11-22T04:00:00.250Z");
        int partition = produceUse(hash, org, used, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> used.toString().equals(lastUsedAt(org, created)));

        // An older report, then one of an unknown key, then a marker on the same partition: once the
        // marker is applied, the two before it were consumed too.
        produceUse(hash, org, used.minusSeconds(30), partition);
        produceUse(ApiKeys.hash(ApiKeys.generate(false)), org, used, partition);
        Instant markerUsed = used.plusSeconds(1);
        produceUse(markerHash, org, markerUsed, partition);
        await().atMost(Duration.ofSeconds(60)).until(() -> markerUsed.toString().equals(lastUsedAt(org, marker)));
        assertThat(lastUsedAt(org, created)).isEqualTo(used.toString());

        Reply listed =
                send(HttpRequest.GET("/v1/organizations/" + org + "/api-keys").bearerAuth(TestServer.ADMIN_TOKEN));
        assertThat(listed.code()).isEqualTo(200);
        assertThat(list(listed.body().get("data"))).hasSize(2).allSatisfy(k -> {
            assertThat(k.get("key")).isNull();
            assertThat(k).containsKeys("prefix", "livemode", "scopes", "expiresAt", "revokedAt", "lastUsedAt");
            assertThat(k.values()).doesNotContain(hash, markerHash);
        });
        assertThat(listed.body().toString()).doesNotContain(hash).doesNotContain(markerHash);
        assertError(
                send(HttpRequest.GET("/v1/organizations/" + org + "/api-keys").bearerAuth("wrong")),
                401,
                "invalid_admin_token",
                null);
        assertError(
                send(HttpRequest.GET("/v1/organizations/org_missing/api-keys").bearerAuth(TestServer.ADMIN_TOKEN)),
                404,
                "not_found",
                null);
    }

    private List<Map<String, Object>> keys(String org) {
        return list(
                send(HttpRequest.GET("/v1/organizations/" + org + "/api-keys").bearerAuth(TestServer.ADMIN_TOKEN))
                        .body()
                        .get("data"));
    }

    private String lastUsedAt(String org, Map<String, Object> key) {
        return keys(org).stream()
                .filter(k -> k.get("id").equals(key.get("id")))
                .map(k -> (String) k.get("lastUsedAt"))
                .findFirst()
                .orElseThrow();
    }

    /** Publishes a use of the key {@code hash} (to {@code partition} when not null); returns its partition. */
    private int produceUse(String hash, String org, Instant at, Integer partition) throws Exception {
        Topic<String, ApiKeyUsage> topic = topics.apiKeyUsage();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.shared().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), partition, hash, new ApiKeyUsage(hash, org, at)))
                    .get()
                    .partition();
        }
    }

    @Test
    void shouldAnswerBadCredentialsWith401And403() {
        assertError(get(null, "/v1/invoices"), 401, "missing_credentials", null);
        assertError(get("mk_test_" + "x".repeat(32), "/v1/invoices"), 401, "invalid_api_key", null);
        assertError(
                send(HttpRequest.POST("/v1/organizations", Map.of("name", "x")).bearerAuth("wrong")),
                401,
                "invalid_admin_token",
                null);
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Scoped")).body().get("id");
        String readOnly =
                (String) admin("/v1/organizations/" + org + "/api-keys", Map.of("scopes", List.of("billing:read")))
                        .body()
                        .get("key");
        assertError(post(readOnly, "/v1/customers", Map.of("externalId", "c1")), 403, "insufficient_scope", null);
    }

    @Test
    void shouldAnswerInvalidInputWith400NamingTheField() {
        String key = newKey();
        assertError(
                send(HttpRequest.POST("/v1/customers", "{not json")
                        .bearerAuth(key)
                        .contentType("application/json")),
                400,
                "malformed_json",
                null);
        assertError(post(key, "/v1/customers", Map.of("name", "no id")), 400, "invalid_request", "externalId");
        assertError(post(key, "/v1/customers", Map.of("externalId", "a|b")), 400, "invalid_request", "externalId");
        post(key, "/v1/products", Map.of("featureKey", "ai_call"));
        assertError(
                post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "-1")),
                400,
                "invalid_request",
                "unitAmount");
        assertError(
                post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "0.0000000001")),
                400,
                "invalid_request",
                "unitAmount");
        assertError(
                post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "1", "currency", "XXXX")),
                400,
                "invalid_request",
                "currency");
        assertError(
                post(
                        key,
                        "/v1/billing-periods/close",
                        Map.of("periodStart", DEC.toString(), "periodEnd", NOV.toString())),
                400,
                "invalid_request",
                "periodEnd");
        assertError(
                post(key, "/v1/billing-periods/close", Map.of("periodStart", "yesterday", "periodEnd", NOV.toString())),
                400,
                "invalid_request",
                "periodStart");
        assertError(get(key, "/v1/invoices?status=open"), 400, "invalid_request", "status");
        assertError(get(key, "/v1/ledger"), 400, "invalid_request", "customer");
    }

    @Test
    void shouldAnswerConflictsAndUnknownIdsAndKeepTenantsApart() {
        String key = newKey();
        assertThat(post(key, "/v1/customers", Map.of("externalId", "dup")).code())
                .isEqualTo(201);
        assertError(post(key, "/v1/customers", Map.of("externalId", "dup")), 409, "already_exists", "externalId");
        assertError(get(key, "/v1/invoices/inv_missing"), 404, "not_found", null);
        assertError(admin("/v1/organizations/org_missing/api-keys", Map.of()), 404, "not_found", null);

        String other = newKey();
        assertError(
                post(other, "/v1/subscriptions", Map.of("customer", "dup", "price", "price_x")),
                400,
                "invalid_request",
                "customer");
    }

    private String newKey() {
        String org = (String)
                admin("/v1/organizations", Map.of("name", "Org")).body().get("id");
        return (String)
                admin("/v1/organizations/" + org + "/api-keys", Map.of()).body().get("key");
    }

    private Reply admin(String path, Object body) {
        return api.admin(HttpRequest.POST(path, body));
    }

    private Reply post(String key, String path, Object body) {
        MutableHttpRequest<Object> request = HttpRequest.POST(path, body);
        return send(key == null ? request : request.bearerAuth(key));
    }

    private Reply get(String key, String path) {
        MutableHttpRequest<Object> request = HttpRequest.GET(path);
        return send(key == null ? request : request.bearerAuth(key));
    }

    private Reply send(MutableHttpRequest<?> request) {
        return api.send(request);
    }

    private List<Map<String, Object>> entries(String key) {
        return list(get(key, "/v1/ledger?customer=c1").body().get("data"));
    }

    private static UsageAggregate window(String org, String start, String quantity) {
        Instant windowStart = Instant.parse(start);
        return UsageAggregate.newBuilder()
                .setOrganizationId(org)
                .setCustomerId("c1")
                .setFeature("ai_call")
                .setLivemode(false)
                .setWindowStart(windowStart)
                .setWindowEnd(windowStart.plusSeconds(3600))
                .setQuantity(new BigDecimal(quantity).setScale(9))
                .setEventCount(1)
                .setClosed(true)
                .setKind(AggregateKind.WINDOW)
                .setAggregateId(Keys.window(org, false, "c1", "ai_call", windowStart.toEpochMilli()))
                .build();
    }

    private static PaymentEvent payment(String org, String invoiceId, PaymentEventType type, String txHash) {
        return PaymentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setInvoiceId(invoiceId)
                .setOrganizationId(org)
                .setLivemode(false)
                .setAmount(new BigDecimal("0.5200000"))
                .setAssetCode("USDC")
                .setAssetIssuer("GISSUER")
                .setDestination("GDEST")
                .setMemo("inv")
                .setPayUri(type == PaymentEventType.REQUESTED ? "web+stellar:pay?destination=GDEST&amount=0.52" : null)
                .setTransactionHash(txHash)
                .setSourceAccount(txHash == null ? null : "GPAYER")
                .setOccurredAt(Instant.now())
                .build();
    }

    private static <V> void produce(Topic<String, V> topic, List<V> values) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.shared().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), "k", value));
            }
            producer.flush();
        }
    }

    private static <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.shared().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }
}
