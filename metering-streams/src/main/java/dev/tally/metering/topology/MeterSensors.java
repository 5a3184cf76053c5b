package dev.tally.metering.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The metering counts SREs watch beside Streams' own metrics (lag, process rate, RocksDB size):
 * duplicates refused, late events, restatements emitted, retractions applied, records rejected
 * (all reasons, and {@code rejected-<reason code>} per reason, tagged {@code reason}), and windows
 * closed. Each is a {@code <name>-rate} and {@code <name>-total}
 * in JMX group {@code kafka.streams:type=stream-tally-metering-metrics}, tagged by task.
 */
final class MeterSensors {

    /** Streams puts the sensors of this scope in group {@code stream-<scope>-metrics}. */
    static final String SCOPE = "tally-metering";

    final Sensor duplicates;
    final Sensor late;
    final Sensor restatements;
    final Sensor retractions;
    private final Sensor rejected;
    final Sensor closedWindows;
    private final Map<String, Sensor> rejectedByReason = new HashMap<>();
    private final StreamsMetrics metrics;
    private final String taskId;

    MeterSensors(StreamsMetrics metrics, String taskId) {
        this.duplicates = sensor(metrics, taskId, "duplicate-events");
        this.late = sensor(metrics, taskId, "late-events");
        this.restatements = sensor(metrics, taskId, "restatements");
        this.retractions = sensor(metrics, taskId, "retractions");
        this.rejected = sensor(metrics, taskId, "rejected-events");
        this.closedWindows = sensor(metrics, taskId, "closed-windows");
        this.metrics = metrics;
        this.taskId = taskId;
    }

    /** Records one rejection, in the total and under its reason. */
    void recordRejection(String reason) {
        rejected.record();
        // one sensor per reason: Streams names sensors by operation, not by tags
        rejectedByReason
                .computeIfAbsent(
                        reason,
                        code -> metrics.addRateTotalSensor(
                                SCOPE,
                                taskId,
                                MeteringCounts.rejectionSensor(code),
                                Sensor.RecordingLevel.INFO,
                                "reason",
                                code))
                .record();
    }

    private static Sensor sensor(StreamsMetrics metrics, String taskId, String name) {
        return metrics.addRateTotalSensor(SCOPE, taskId, name, Sensor.RecordingLevel.INFO);
    }
}
