package dev.tally.metering.health;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How long ago the stream threads last polled their main consumer: a thread that stops polling is
 * stuck (a healthy one polls all along, while it waits in a rebalance or restores state).
 */
public final class PollDelay {

    private PollDelay() {}

    /**
     * The longest {@code last-poll-seconds-ago} of the stream threads' main consumers (not the
     * restore or global consumers); 0 or less when none has polled yet.
     */
    public static double longestSecondsAgo(KafkaStreams client) {
        double longest = 0;
        for (var metric : client.metrics().entrySet()) {
            if (isMainConsumerPollDelay(metric.getKey())
                    && metric.getValue().metricValue() instanceof Double seconds
                    && seconds > longest) {
                longest = seconds;
            }
        }
        return longest;
    }

    private static boolean isMainConsumerPollDelay(MetricName name) {
        String clientId = name.tags().getOrDefault("client-id", "");
        return name.group().equals("consumer-metrics")
                && name.name().equals("last-poll-seconds-ago")
                && clientId.contains("-StreamThread-")
                && clientId.endsWith("-consumer")
                && !clientId.endsWith("-restore-consumer");
    }
}
