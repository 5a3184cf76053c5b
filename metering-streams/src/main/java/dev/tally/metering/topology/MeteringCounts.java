package dev.tally.metering.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The names of the metering counts ({@link MeterSensors}) as readers outside the topology need
 * them: the metrics exporter sums each over the tasks of a Streams client.
 */
public final class MeteringCounts {

    /** The Streams metrics group of every metering sensor. */
    static final String GROUP = "stream-" + MeterSensors.SCOPE + "-metrics";

    /** Sensors counted for every event they concern, beside the per-reason rejections. */
    public static final List<String> SENSORS = List.of(
            "duplicate-events", "late-events", "restatements", "retractions", "rejected-events", "closed-windows");

    /** Every reason code a rejection is counted under ({@code rejected-<code>}). */
    public static final List<String> REJECTION_CODES = List.of(
            Rejections.INVALID,
            Rejections.MISSING_PROPERTY,
            Rejections.INVALID_PROPERTY,
            Rejections.BEYOND_CORRECTION_HORIZON,
            Rejections.RETRACTION_TARGET_UNKNOWN,
            Rejections.RETRACTION_MISMATCH);

    private MeteringCounts() {}

    /** The sensor that counts rejections for {@code code}. */
    public static String rejectionSensor(String code) {
        return "rejected-" + code;
    }

    /** The count of {@code sensor} summed over every task in {@code metrics} (a Streams client's). */
    public static double sumOverTasks(Map<MetricName, ? extends Metric> metrics, String sensor) {
        String name = sensor + "-total";
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            if (metric.getKey().group().equals(GROUP)
                    && metric.getKey().name().equals(name)
                    && metric.getValue().metricValue() instanceof Number value) {
                sum += value.doubleValue();
            }
        }
        return sum;
    }
}
