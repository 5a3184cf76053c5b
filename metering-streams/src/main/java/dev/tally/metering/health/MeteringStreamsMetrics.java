package dev.tally.metering.health;

import dev.tally.metering.MeteringStreams;
import dev.tally.metering.topology.MeteringCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * The stream's health as metrics, for alerts that do not poll the health endpoint:
 * {@code tally_metering_not_running_seconds} (how long it has not been RUNNING, 0 while it is),
 * {@code tally_metering_streams_state{state}} (1 for the current state, 0 for the others),
 * {@code tally_metering_restarts_total} (fresh clients started after failures) and
 * {@code tally_metering_gave_up} (1 once it stopped healing itself); and the topology's counts
 * summed over the client's tasks: {@code tally_metering_rejected_total{reason}} per reason code,
 * {@code tally_metering_duplicate_events_total}, {@code …_late_events_total}, and so on (they
 * start again from 0 with each fresh client, which Prometheus reads as a counter reset).
 */
@Context
@Requires(beans = {MeteringStreams.class, MeterRegistry.class})
public final class MeteringStreamsMetrics {

    public MeteringStreamsMetrics(MeteringStreams streams, MeterRegistry registry) {
        Gauge.builder(
                        "tally.metering.not.running",
                        streams,
                        s -> s.notRunningFor().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("how long the metering stream has not been RUNNING; 0 while it is")
                .register(registry);
        for (State state : State.values()) {
            Gauge.builder("tally.metering.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .tag("state", state.name())
                    .description("1 for the current state of the metering Streams client")
                    .register(registry);
        }
        FunctionCounter.builder("tally.metering.restarts", streams, MeteringStreams::restarts)
                .description("fresh Streams clients started after a failure")
                .register(registry);
        Gauge.builder("tally.metering.gave.up", streams, s -> s.gaveUp() ? 1 : 0)
                .description("1 once metering stopped healing itself: restart the process")
                .register(registry);
        for (String code : MeteringCounts.REJECTION_CODES) {
            String sensor = MeteringCounts.rejectionSensor(code);
            FunctionCounter.builder(
                            "tally.metering.rejected",
                            streams,
                            s -> MeteringCounts.sumOverTasks(s.streams().metrics(), sensor))
                    .tag("reason", code)
                    .description("events metering accepted and then could not count, by reason"
                            + " (see GET /v1/events/rejected)")
                    .register(registry);
        }
        for (String sensor : MeteringCounts.SENSORS) {
            FunctionCounter.builder(
                            "tally.metering." + sensor.replace('-', '.'),
                            streams,
                            s -> MeteringCounts.sumOverTasks(s.streams().metrics(), sensor))
                    .register(registry);
        }
    }
}
