package dev.tally.metering.health;

import dev.tally.metering.MeteringStreams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams.State;
import org.reactivestreams.Publisher;

/**
 * Ready only while the Streams client is RUNNING. Every other state means events are not being
 * metered now: CREATED and REBALANCING at start-up (its partitions are not assigned yet, and usage
 * queries answer 503), REBALANCING later (partitions moving), PENDING_ERROR and ERROR while a fresh
 * client is being started, and the shutdown states. A rebalance makes the instance briefly not
 * ready, which is the truth: during it, it meters nothing and cannot answer queries.
 */
@Singleton
@Readiness
@Requires(beans = MeteringStreams.class)
public final class MeteringReadiness implements HealthIndicator {

    private final MeteringStreams streams;

    public MeteringReadiness(MeteringStreams streams) {
        this.streams = streams;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        State state = streams.state();
        HealthStatus status = state == State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("metering-streams", status)
                .details(StreamsDetails.of(streams, state))
                .build());
    }
}
