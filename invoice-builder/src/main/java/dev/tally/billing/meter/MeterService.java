package dev.tally.billing.meter;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Singleton;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The meter catalog. Every create and archive puts the meter's new state ({@code MeterDefinition},
 * key {@code Keys.meter}) in the outbox in the transaction that changes the row, so the meters
 * topic follows the table exactly.
 */
@Singleton
public final class MeterService {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final Topics topics;

    public MeterService(BillingDatabase database, BillingOutboxRelay relay, Topics topics) {
        this.database = database;
        this.relay = relay;
        this.topics = topics;
    }

    /** Creates an active meter; 409 when the feature already has one in this mode. */
    public Meter create(
            String organizationId, boolean livemode, String feature, Aggregation aggregation, String valueProperty) {
        Meter created = database.jdbi().inTransaction(handle -> {
            Meter meter = new MeterDao(handle)
                    .insert(Ids.next("mtr"), organizationId, livemode, feature, aggregation, valueProperty)
                    .orElseThrow(() -> new BillingException(
                            ErrorCode.ALREADY_EXISTS,
                            "feature " + feature + " already has an active meter: archive it first",
                            "feature"));
            publish(handle, meter);
            return meter;
        });
        relay.wakeUp();
        return created;
    }

    /**
     * Archives a meter. Archiving an archived meter returns it unchanged and publishes nothing: its
     * feature may have a newer meter by now, whose state on the compacted topic must not be
     * overwritten by the old one's.
     */
    public Meter archive(String organizationId, boolean livemode, String id) {
        Archival result = database.jdbi().inTransaction(handle -> {
            MeterDao dao = new MeterDao(handle);
            Meter meter = dao.meterForUpdate(organizationId, livemode, id)
                    .orElseThrow(() -> BillingException.notFound("meter " + id));
            if (meter.archivedAt() != null) {
                return new Archival(meter, false);
            }
            Meter now = dao.archive(id);
            publish(handle, now);
            return new Archival(now, true);
        });
        if (result.published()) {
            relay.wakeUp();
        }
        return result.meter();
    }

    private record Archival(Meter meter, boolean published) {}

    public Meter meter(String organizationId, boolean livemode, String id) {
        return database.jdbi()
                .withHandle(handle -> new MeterDao(handle).meter(organizationId, livemode, id))
                .orElseThrow(() -> BillingException.notFound("meter " + id));
    }

    /** A page of meters (read with one extra row, see {@link PageRequest#probe()}), oldest first. */
    public List<Meter> meters(String organizationId, boolean livemode, boolean includeArchived, PageRequest page) {
        return database.jdbi().withHandle(handle -> {
            MeterPageDao dao = handle.attach(MeterPageDao.class);
            if (page.startingAfter() != null && !dao.exists(organizationId, livemode, page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return dao.meters(organizationId, livemode, includeArchived, page.startingAfter(), page.probe());
        });
    }

    private void publish(Handle handle, Meter meter) {
        database.outbox().enqueue(handle, topics.meters(), meter.topicKey(), meter.toDefinition());
    }
}
