package dev.tally.metering.health;

import dev.tally.metering.MeteringStreams;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;

/** What health shows of the metering stream: its state and how it has been healing. */
final class StreamsDetails {

    private StreamsDetails() {}

    static Map<String, Object> of(MeteringStreams streams, State state) {
        return Map.of(
                "state", state.name(),
                "not_running_seconds", streams.notRunningFor().toMillis() / 1000.0,
                "restarts", streams.restarts(),
                "gave_up", streams.gaveUp());
    }
}
