package dev.tally.metering.health;

import dev.tally.metering.MeteringStreams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams.State;
import org.reactivestreams.Publisher;

/**
 * Alive while the stream runs or heals itself (a failed client is replaced by a fresh one, see
 * {@link MeteringStreams}); DOWN once it gave up healing, when only a restart of the process helps,
 * so that the orchestrator does it.
 */
@Singleton
@Liveness
@Requires(beans = MeteringStreams.class)
public final class MeteringLiveness implements HealthIndicator {

    private final MeteringStreams streams;

    public MeteringLiveness(MeteringStreams streams) {
        this.streams = streams;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        State state = streams.state();
        HealthStatus status = streams.gaveUp() ? HealthStatus.DOWN : HealthStatus.UP;
        return Publishers.just(HealthResult.builder("metering-streams", status)
                .details(StreamsDetails.of(streams, state))
                .build());
    }
}
