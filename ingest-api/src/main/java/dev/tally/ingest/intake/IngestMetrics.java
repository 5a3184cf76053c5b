package dev.tally.ingest.intake;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.publish.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest API's Prometheus metrics: events by outcome ({@code tally_ingest_events_total} with
 * {@code status} and, for rejections, {@code code}), producer errors, request latency as a
 * histogram, and the producer queue depth (events and bytes awaiting the broker).
 */
@Singleton
public final class IngestMetrics {

    private final Counter accepted;
    private final Counter duplicates;
    private final Map<ErrorCode, Counter> rejected = new EnumMap<>(ErrorCode.class);
    private final Map<ErrorCode, Counter> producerErrors = new EnumMap<>(ErrorCode.class);
    private final Timer latency;

    public IngestMetrics(MeterRegistry registry, EventPublisher publisher) {
        accepted = events(registry, "accepted", "none");
        duplicates = events(registry, "duplicate", "none");
        for (ErrorCode code : ErrorCode.values()) {
            rejected.put(code, events(registry, "rejected", code.code()));
        }
        for (ErrorCode code : List.of(ErrorCode.BROKER_UNAVAILABLE, ErrorCode.PUBLISH_FAILED)) {
            producerErrors.put(
                    code,
                    Counter.builder("tally.ingest.producer.errors")
                            .description("events the broker did not acknowledge")
                            .tag("code", code.code())
                            .register(registry));
        }
        latency = Timer.builder("tally.ingest.request.latency")
                .description("time from a request's arrival to its answer")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100))
                .register(registry);
        Gauge.builder("tally.ingest.producer.queue.events", publisher, EventPublisher::inFlightRecords)
                .description("events sent and awaiting the broker's acknowledgement")
                .register(registry);
        Gauge.builder("tally.ingest.producer.queue.bytes", publisher, EventPublisher::inFlightBytes)
                .description("bytes of events awaiting the broker's acknowledgement")
                .register(registry);
    }

    private static Counter events(MeterRegistry registry, String status, String code) {
        return Counter.builder("tally.ingest.events")
                .description("events received, by outcome")
                .tag("status", status)
                .tag("code", code)
                .register(registry);
    }

    /** Counts the outcomes of one request's events. */
    public void record(List<EventResult> results) {
        int acceptedCount = 0;
        int duplicateCount = 0;
        for (EventResult result : results) {
            switch (result.status()) {
                case ACCEPTED -> acceptedCount++;
                case DUPLICATE -> duplicateCount++;
                case REJECTED -> rejected(result.violation().code());
            }
        }
        accepted.increment(acceptedCount);
        duplicates.increment(duplicateCount);
    }

    /** Counts one event rejected with {@code code} (also for whole requests refused before reading). */
    public void rejected(ErrorCode code) {
        rejected.get(code).increment();
        Counter producerError = producerErrors.get(code);
        if (producerError != null) {
            producerError.increment();
        }
    }

    /** Records how long a request took, from arrival to answer. */
    public void requestTook(long nanos) {
        latency.record(Duration.ofNanos(nanos));
    }
}
