package dev.tally.billing.meter;

import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.topic.Keys;
import java.time.Instant;
import java.util.Locale;

/**
 * A meter: how the events of one feature (in one mode) become usage. {@code valueProperty} is the
 * event property it reads (null: the event's quantity; always null for COUNT). Archived meters are
 * kept; their feature is unknown again and may get a new meter.
 */
public record Meter(
        String id,
        String organizationId,
        boolean livemode,
        String feature,
        Aggregation aggregation,
        String valueProperty,
        Instant createdAt,
        Instant updatedAt,
        Instant archivedAt) {

    /** The aggregation as the API and the database spell it: {@code sum}, {@code unique_count}... */
    public static String text(Aggregation aggregation) {
        return aggregation.name().toLowerCase(Locale.ROOT);
    }

    /** The key of this meter on the compacted meters topic. */
    public String topicKey() {
        return Keys.meter(organizationId, livemode, feature);
    }

    /** The state published to the meters topic. */
    public MeterDefinition toDefinition() {
        return MeterDefinition.newBuilder()
                .setMeterId(id)
                .setOrganizationId(organizationId)
                .setLivemode(livemode)
                .setFeature(feature)
                .setAggregation(aggregation)
                .setValueProperty(valueProperty)
                .setCreatedAt(createdAt)
                .setArchivedAt(archivedAt)
                .setUpdatedAt(updatedAt)
                .build();
    }
}
