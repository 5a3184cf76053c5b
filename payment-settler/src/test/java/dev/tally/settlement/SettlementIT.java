package dev.tally.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import dev.tally.testkit.stellar.FakeHorizon;
import dev.tally.testkit.stellar.FakePayment;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Memo;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.responses.SubmitTransactionResponse;

/**
 * payment-settler end to end on a real broker, registry and PostgreSQL and the fake Horizon: invoice
 * events in, payment requests and real signed Stellar payments matched, payment events out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private FakeHorizon horizon;
    private Server stellar;
    private KeyPair issuer;
    private KeyPair merchant;
    private KeyPair payer;
    private Asset usdc;
    private Map<String, Object> properties;
    private ApplicationContext context;
    private Topics topics;
    private Jdbi jdbi;
    private KafkaProducer<String, InvoiceEvent> invoices;

    @BeforeAll
    void start() {
        KafkaBroker broker = KafkaBroker.shared();
        SchemaRegistryServer registry = SchemaRegistryServer.shared();
        TestPostgres.Database database = TestPostgres.shared().createDatabase();
        horizon = FakeHorizon.start();
        stellar = new Server(horizon.url());
        issuer = horizon.createAccount(new BigDecimal("100"));
        usdc = Asset.create(null, "USDC", issuer.getAccountId());
        merchant = horizon.createAccount(new BigDecimal("100"));
        horizon.trust(merchant.getAccountId(), usdc);
        horizon.requireMemo(merchant.getAccountId());
        payer = horizon.createAccount(new BigDecimal("100"));
        horizon.credit(payer.getAccountId(), usdc, new BigDecimal("10000"));

        properties = new LinkedHashMap<>();
        properties.put("tally.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("tally.kafka.schema-registry-url", registry.url());
        properties.put("tally.kafka.topic-prefix", "settlement-it.");
        properties.put("tally.kafka.partitions", "2");
        properties.put("tally.database.url", database.jdbcUrl());
        properties.put("tally.database.user", database.user());
        properties.put("tally.database.password", database.password());
        properties.put("tally.settlement.horizon-url", horizon.url());
        properties.put("tally.settlement.network-passphrase", horizon.network().getNetworkPassphrase());
        properties.put("tally.settlement.receiving-account", merchant.getAccountId());
        properties.put("tally.settlement.asset-code", "USDC");
        properties.put("tally.settlement.asset-issuer", issuer.getAccountId());
        properties.put("tally.settlement.poll-interval", "PT0.2S");
        properties.put("tally.settlement.page-limit", "2");
        properties.put("tally.settlement.retry-backoff", "200ms");
        context = ApplicationContext.run(properties);
        topics = context.getBean(Topics.class);
        jdbi = Jdbi.create(database.dataSource());
        Topic<String, InvoiceEvent> topic = topics.invoiceEvents();
        invoices = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    @AfterAll
    void stop() {
        invoices.close();
        context.close();
        stellar.close();
        horizon.close();
    }

    @Test
    void shouldCreateExactlyOnePaymentRequestWithSep7UriPerFinalizedInvoice() {
        String invoiceId = newInvoiceId();
        String free = newInvoiceId();

        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 12_345));
        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 12_345));
        publish(invoice(free, InvoiceEventType.FINALIZED, 0));
        publish(invoice(invoiceId, InvoiceEventType.PAID, 12_345));

        Map<String, String> uri = awaitRequestedUri(invoiceId);
        awaitOutboxDrained();
        assertThat(uri)
                .containsEntry("destination", merchant.getAccountId())
                .containsEntry("amount", "123.45")
                .containsEntry("asset_code", "USDC")
                .containsEntry("asset_issuer", issuer.getAccountId())
                .containsEntry("memo", invoiceId)
                .containsEntry("memo_type", "MEMO_TEXT")
                .containsEntry("network_passphrase", horizon.network().getNetworkPassphrase());
        assertThat(paymentEvents(invoiceId)).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(PaymentEventType.REQUESTED);
            assertThat(event.getAmount()).isEqualTo(new BigDecimal("123.4500000"));
            assertThat(event.getMemo()).isEqualTo(invoiceId);
            assertThat(event.getOrganizationId()).isEqualTo("org_it");
        });
        assertThat(count("SELECT count(*) FROM settlement.payment_requests WHERE invoice_id = '" + invoiceId + "'"))
                .isOne();
        assertThat(count("SELECT count(*) FROM settlement.payment_requests WHERE invoice_id = '" + free + "'"))
                .isZero();
        assertThat(paymentEvents(free)).isEmpty();
    }

    @Test
    void shouldSettleOnceOnASignedPaymentWithTheMemoButNotOnAnUnderpayment() throws Exception {
        String invoiceId = newInvoiceId();
        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 5_000));
        Map<String, String> uri = awaitRequestedUri(invoiceId);

        String underpayment = pay(uri, "49.99");
        await().atMost(PATIENCE).until(() -> outcomeOf(underpayment), "underpaid"::equals);
        assertThat(settledHash(invoiceId)).isNull();

        String payment = pay(uri, uri.get("amount"));
        await().atMost(PATIENCE).until(() -> settledHash(invoiceId), payment::equals);
        awaitOutboxDrained();

        assertThat(outcomeOf(payment)).isEqualTo("settled");
        assertThat(paymentEvents(invoiceId))
                .extracting(PaymentEvent::getType)
                .containsExactly(PaymentEventType.REQUESTED, PaymentEventType.SETTLED);
        PaymentEvent settled = paymentEvents(invoiceId).getLast();
        assertThat(settled.getTransactionHash()).isEqualTo(payment);
        assertThat(settled.getSourceAccount()).isEqualTo(payer.getAccountId());
        assertThat(settled.getAmount()).isEqualTo(new BigDecimal("50.0000000"));
        assertThat(horizon.balance(merchant.getAccountId(), usdc)).isGreaterThanOrEqualTo(new BigDecimal("99.99"));
    }

    @Test
    void shouldNotSettleAVoidedInvoiceButKeepTheMoneyOnRecordAndStillSettleAnUncollectibleOne() throws Exception {
        String voided = newInvoiceId();
        String writtenOff = newInvoiceId();
        publish(invoice(voided, InvoiceEventType.FINALIZED, 900));
        publish(invoice(writtenOff, InvoiceEventType.FINALIZED, 800));
        Map<String, String> voidedUri = awaitRequestedUri(voided);
        Map<String, String> writtenOffUri = awaitRequestedUri(writtenOff);

        publish(invoice(voided, InvoiceEventType.VOIDED, 900));
        publish(invoice(writtenOff, InvoiceEventType.UNCOLLECTIBLE, 800));
        await().atMost(PATIENCE)
                .until(() -> count("SELECT count(*) FROM settlement.payment_requests WHERE invoice_id = '" + voided
                                + "' AND withdrawn_at IS NOT NULL")
                        == 1);
        awaitInvoiceEventsConsumed();
        String late = pay(voidedUri, voidedUri.get("amount"));
        String paid = pay(writtenOffUri, writtenOffUri.get("amount"));
        await().atMost(PATIENCE).until(() -> outcomeOf(late), "withdrawn"::equals);
        await().atMost(PATIENCE).until(() -> settledHash(writtenOff), paid::equals);
        awaitOutboxDrained();

        assertThat(settledHash(voided)).isNull();
        assertThat(paymentEvents(voided)).extracting(PaymentEvent::getType).containsExactly(PaymentEventType.REQUESTED);
        assertThat(paymentEvents(writtenOff))
                .extracting(PaymentEvent::getType)
                .containsExactly(PaymentEventType.REQUESTED, PaymentEventType.SETTLED);
    }

    @Test
    void shouldNeverRecordOrSettleAgainWhenRestartedFromAnOlderCursor() throws Exception {
        String invoiceId = newInvoiceId();
        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 700));
        Map<String, String> uri = awaitRequestedUri(invoiceId);
        String payment = pay(uri, "7");
        String stray = payWithMemo("no-such-invoice", "1");
        await().atMost(PATIENCE).until(() -> settledHash(invoiceId), payment::equals);
        await().atMost(PATIENCE).until(() -> outcomeOf(stray), "unknown_memo"::equals);
        long recorded = count("SELECT count(*) FROM settlement.stellar_payments");

        context.close();
        jdbi.useHandle(h -> h.execute("DELETE FROM settlement.horizon_cursors"));
        context = ApplicationContext.run(properties);
        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 700));

        List<FakePayment> received = horizon.payments(merchant.getAccountId());
        String newest = received.getLast().pagingToken();
        await().atMost(PATIENCE)
                .until(
                        () -> jdbi.withHandle(h -> h.createQuery("SELECT paging_token FROM settlement.horizon_cursors")
                                .mapTo(String.class)
                                .findOne()
                                .orElse("")),
                        newest::equals);
        awaitInvoiceEventsConsumed();
        awaitOutboxDrained();

        assertThat(count("SELECT count(*) FROM settlement.stellar_payments")).isEqualTo(recorded);
        assertThat(received.stream()
                        .filter(p -> p.to().equals(merchant.getAccountId()))
                        .count())
                .isEqualTo(recorded);
        assertThat(paymentEvents(invoiceId))
                .extracting(PaymentEvent::getType)
                .containsExactly(PaymentEventType.REQUESTED, PaymentEventType.SETTLED);
    }

    // --- helpers ---

    @Test
    void shouldIgnoreCreditNoteEventsAndStillSettleTheInvoice() throws Exception {
        String invoiceId = newInvoiceId();
        publish(invoice(invoiceId, InvoiceEventType.FINALIZED, 700));
        Map<String, String> uri = awaitRequestedUri(invoiceId);

        // issue 10's credit note events: paying refunds out is not the settler's yet, and they withdraw nothing
        publish(InvoiceEvent.newBuilder(invoice(invoiceId, InvoiceEventType.CREDIT_NOTE_ISSUED, 700))
                .setEventId("credit_note|cn_it|credit_note_issued")
                .setCreditNoteId("cn_it")
                .setCreditedMinor(100L)
                .build());
        publish(InvoiceEvent.newBuilder(invoice(invoiceId, InvoiceEventType.REFUND_REQUESTED, 700))
                .setEventId("credit_note|cn_it|refund_requested")
                .setCreditNoteId("cn_it")
                .setRefundMinor(100L)
                .build());
        awaitInvoiceEventsConsumed();
        assertThat(count("SELECT count(*) FROM settlement.payment_requests WHERE invoice_id = '" + invoiceId
                        + "' AND withdrawn_at IS NULL"))
                .isOne();

        String payment = pay(uri, uri.get("amount"));
        await().atMost(PATIENCE).until(() -> settledHash(invoiceId), payment::equals);
        awaitOutboxDrained();
        assertThat(paymentEvents(invoiceId))
                .extracting(PaymentEvent::getType)
                .containsExactly(PaymentEventType.REQUESTED, PaymentEventType.SETTLED);
    }

    private static String newInvoiceId() {
        return "inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static InvoiceEvent invoice(String invoiceId, InvoiceEventType type, long totalMinor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return InvoiceEvent.newBuilder()
                .setEventId("invoice|" + invoiceId + "|" + type)
                .setType(type)
                .setInvoiceId(invoiceId)
                .setInvoiceNumber("ACME-TEST-2026-000001")
                .setOrganizationId("org_it")
                .setCustomerId("cust_it")
                .setLivemode(false)
                .setCurrency("USD")
                .setTotalMinor(totalMinor)
                .setPeriodStart(now.minusSeconds(3600))
                .setPeriodEnd(now)
                .setOccurredAt(now)
                .build();
    }

    private void publish(InvoiceEvent event) {
        try {
            invoices.send(new ProducerRecord<>(topics.invoiceEvents().name(), event.getInvoiceId(), event))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the invoice event", e.getCause());
        }
    }

    /** Waits for the invoice's REQUESTED event and returns its SEP-7 URI's decoded parameters. */
    private Map<String, String> awaitRequestedUri(String invoiceId) {
        String uri = await().atMost(PATIENCE)
                .until(
                        () -> paymentEvents(invoiceId).stream()
                                .findFirst()
                                .map(PaymentEvent::getPayUri)
                                .orElse(null),
                        Objects::nonNull);
        assertThat(uri).startsWith("web+stellar:pay?");
        String query = uri.substring("web+stellar:pay?".length());
        assertThat(query).as("percent-encoded, no '+' for a space").doesNotContain("+", " ");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** Pays what the SEP-7 parameters ask, with {@code amount}, as a wallet would; returns the hash. */
    private String pay(Map<String, String> uri, String amount) throws Exception {
        assertThat(uri.get("memo_type")).isEqualTo("MEMO_TEXT");
        return submit(
                uri.get("destination"),
                Asset.create(null, uri.get("asset_code"), uri.get("asset_issuer")),
                amount,
                uri.get("memo"));
    }

    private String payWithMemo(String memo, String amount) throws Exception {
        return submit(merchant.getAccountId(), usdc, amount, memo);
    }

    private String submit(String destination, Asset asset, String amount, String memo) throws Exception {
        Transaction tx = new Transaction.Builder(stellar.accounts().account(payer.getAccountId()), horizon.network())
                .addOperation(new PaymentOperation.Builder(destination, asset, amount).build())
                .addMemo(Memo.text(memo))
                .setTimeout(60)
                .setBaseFee(100)
                .build();
        tx.sign(payer);
        SubmitTransactionResponse response = stellar.submitTransaction(tx);
        assertThat(response.isSuccess()).as("payment applied").isTrue();
        return response.getHash();
    }

    private String outcomeOf(String transactionHash) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT outcome FROM settlement.stellar_payments WHERE transaction_hash = :h")
                        .bind("h", transactionHash)
                        .mapTo(String.class)
                        .findOne()
                        .orElse(null));
    }

    private String settledHash(String invoiceId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT settled_tx_hash FROM settlement.payment_requests WHERE invoice_id = :i")
                        .bind("i", invoiceId)
                        .mapTo(String.class)
                        .findOne()
                        .orElse(null));
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private void awaitOutboxDrained() {
        await().atMost(PATIENCE)
                .until(() -> count("SELECT count(*) FROM settlement.outbox WHERE published_at IS NULL") == 0);
    }

    /** Waits until the settler's stored offsets reached the end of invoice-events. */
    private void awaitInvoiceEventsConsumed() {
        try (KafkaConsumer<String, InvoiceEvent> ends = consumer(topics.invoiceEvents())) {
            List<TopicPartition> partitions =
                    partitions(ends, topics.invoiceEvents().name());
            long end = ends.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            await().atMost(PATIENCE)
                    .until(() -> count(
                                    "SELECT coalesce(sum(next_offset), 0) FROM settlement.consumer_offsets WHERE topic = '"
                                            + topics.invoiceEvents().name() + "'")
                            >= end);
        }
    }

    /** Every payment event of {@code invoiceId} on the topic, in order. */
    private List<PaymentEvent> paymentEvents(String invoiceId) {
        List<PaymentEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, PaymentEvent> consumer = consumer(topics.paymentEvents())) {
            List<TopicPartition> partitions =
                    partitions(consumer, topics.paymentEvents().name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(invoiceId)) {
                        events.add(r.value());
                    }
                });
            }
        }
        return events;
    }

    private <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        properties.get("tally.kafka.bootstrap-servers"),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }
}
