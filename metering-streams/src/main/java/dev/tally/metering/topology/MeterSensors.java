package dev.tally.metering.topology;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The metering counts SREs watch beside Streams' own metrics (lag, process rate, RocksDB size):
 * duplicates refused, late events, restatements emitted, retractions applied, records rejected
 * (all reasons), events rejected for the distinct bound, and windows closed. Each is a
 * {@code <name>-rate} and {@code <name>-total} in JMX group
 * {@code kafka.streams:type=stream-tally-metering-metrics}, tagged by task.
 */
final class MeterSensors {

    private static final String SCOPE = "tally-metering";

    final Sensor duplicates;
    final Sensor late;
    final Sensor restatements;
    final Sensor retractions;
    final Sensor rejected;
    final Sensor distinctLimit;
    final Sensor closedWindows;

    MeterSensors(StreamsMetrics metrics, String taskId) {
        this.duplicates = sensor(metrics, taskId, "duplicate-events");
        this.late = sensor(metrics, taskId, "late-events");
        this.restatements = sensor(metrics, taskId, "restatements");
        this.retractions = sensor(metrics, taskId, "retractions");
        this.rejected = sensor(metrics, taskId, "rejected-events");
        this.distinctLimit = sensor(metrics, taskId, "distinct-limit-rejections");
        this.closedWindows = sensor(metrics, taskId, "closed-windows");
    }

    private static Sensor sensor(StreamsMetrics metrics, String taskId, String name) {
        return metrics.addRateTotalSensor(SCOPE, taskId, name, Sensor.RecordingLevel.INFO);
    }
}
