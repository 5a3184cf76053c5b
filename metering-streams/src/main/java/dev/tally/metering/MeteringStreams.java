package dev.tally.metering;

import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metering topology for the life of the application: starts it at start-up and closes it
 * cleanly (committing its transaction) at shutdown. {@code tally.metering.enabled=false} leaves it
 * out (tools and tests that only need the settings).
 */
@Context
@Requires(property = "tally.metering.enabled", notEquals = "false")
public final class MeteringStreams {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final ThreadFailures failures;

    /**
     * @param provisioner present when this service creates the topics: it must have run before the
     *     topology subscribes to them
     */
    public MeteringStreams(
            MeteringSettings settings, KafkaSettings kafka, Topics topics, Optional<TopicProvisioner> provisioner) {
        LOG.debug("topics provisioned by this service: {}", provisioner.isPresent());
        this.streams = new KafkaStreams(
                MeteringTopology.build(topics, settings), StreamsProperties.of(settings, kafka, topics));
        this.failures = new ThreadFailures(3, Duration.ofMinutes(1));
    }

    @PostConstruct
    void start() {
        streams.setUncaughtExceptionHandler(exception -> {
            StreamThreadExceptionResponse response = failures.record(System.currentTimeMillis())
                    ? StreamThreadExceptionResponse.REPLACE_THREAD
                    : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            LOG.error("metering stream thread failed; {}", response, exception);
            return response;
        });
        streams.setStateListener((now, before) -> LOG.info("metering streams {} -> {}", before, now));
        streams.start();
    }

    /** The running Streams client, for queries and health. */
    public KafkaStreams streams() {
        return streams;
    }

    @PreDestroy
    void stop() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("metering streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
