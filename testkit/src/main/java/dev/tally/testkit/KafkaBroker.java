package dev.tally.testkit;

import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: one combined KRaft controller and broker from Kafka's own test
 * kit, on a free loopback port, with its logs under {@code java.io.tmpdir} (the build's
 * {@code target/}). Configured for one node: replication factor 1 everywhere (offsets and
 * transaction state included, so transactions and {@code exactly_once_v2} work), and no initial
 * rebalance delay, so consumer groups form at once.
 *
 * <pre>{@code
 * KafkaBroker broker = KafkaBroker.shared();      // one per test JVM, stopped at JVM exit
 * broker.createTopics(topics, 2);                 // the catalogue's topics, 2 partitions each
 * props.put("bootstrap.servers", broker.bootstrapServers());
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private static KafkaBroker shared;

    private final KafkaClusterTestKit cluster;
    private final boolean isShared;

    private KafkaBroker(KafkaClusterTestKit cluster, boolean isShared) {
        this.cluster = cluster;
        this.isShared = isShared;
    }

    /** Starts a fresh broker (about 2 s) that the caller closes. */
    public static KafkaBroker start() {
        return new KafkaBroker(startCluster(), false);
    }

    /**
     * The broker shared by every test of this JVM, started on first use and stopped by a shutdown
     * hook. Tests sharing it keep apart by topic names (or a topic prefix) and group ids;
     * {@link #close()} on it does nothing.
     */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            KafkaBroker broker = new KafkaBroker(startCluster(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-shutdown"));
            shared = broker;
        }
        return shared;
    }

    private static KafkaClusterTestKit startCluster() {
        QuietLogs.apply();
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(logDirectory())
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(1)
                .build();
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "3")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster);
            throw new IllegalStateException("interrupted while starting the Kafka broker", e);
        } catch (Exception e) {
            // the test kit's build() and format() declare plain Exception
            closeQuietly(cluster);
            throw new IllegalStateException("the in-process Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A fresh directory for the broker's logs, deleted by {@link #close()} (the test kit's delete on
     * close) and by nothing else. Left to itself, the test kit makes one with Kafka's
     * {@code TestUtils.tempDirectory}, which also deletes it from a JVM shutdown hook; that hook ran
     * beside the one stopping the shared broker, the running broker found its log directory gone,
     * halted the JVM with status 1, and surefire failed a module whose tests had all passed ("Error
     * occurred in starting fork").
     */
    private static Path logDirectory() {
        try {
            return Files.createTempDirectory("kafka-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka broker's log directory", e);
        }
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:41234}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** An idempotent, {@code acks=all} producer of {@code topic}'s records, with its serdes. */
    public <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    /**
     * A {@code read_committed} consumer in {@code group}, subscribed to {@code topic} from the
     * earliest offset, with its serdes.
     */
    public <K, V> KafkaConsumer<K, V> consumer(Topic<K, V> topic, String group) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    /** Creates {@code names} with {@code partitions} partitions each; existing topics are left as they are. */
    public void createTopics(int partitions, String... names) {
        create(List.of(names).stream()
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toList());
    }

    /**
     * Creates every topic of {@code topics} (compacted where the catalogue says so) with
     * {@code partitions} partitions each; existing topics are left as they are.
     */
    public void createTopics(Topics topics, int partitions) {
        create(topics.all().stream().map(topic -> newTopic(topic, partitions)).toList());
    }

    private static NewTopic newTopic(Topic<?, ?> topic, int partitions) {
        NewTopic created = new NewTopic(topic.name(), partitions, (short) 1);
        if (topic.compacted()) {
            created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return created;
    }

    private void create(Collection<NewTopic> newTopics) {
        try (Admin admin = admin()) {
            for (var result : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    result.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Stops the broker and deletes its logs; does nothing on the {@link #shared()} broker. */
    @Override
    public void close() {
        if (!isShared) {
            stop();
        }
    }

    private void stop() {
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the test kit's close() declares plain Exception; a broker that fails to stop must not
            // hide the test's own outcome
            LOG.warn("the in-process Kafka broker did not stop cleanly", e);
        }
    }
}
