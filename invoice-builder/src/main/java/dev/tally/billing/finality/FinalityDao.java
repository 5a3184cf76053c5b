package dev.tally.billing.finality;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The finality watermarks received ({@code billing.usage_finality}) and how far the ledger has
 * caught up with them. "Reached" is one SQL function of V13, {@code usage_finality_reached}: the
 * ledger consumer's stored offsets ({@code billing.consumer_offsets} of {@code ledgerGroup} on
 * {@code aggregatesTopic}) are at or past every required offset of the watermark.
 */
public interface FinalityDao {

    /**
     * Records a watermark of {@code meteringPartition} with the ledger offsets it needs. The same
     * watermark received again keeps the offsets first recorded, which already bound its
     * aggregates.
     */
    @SqlUpdate("INSERT INTO billing.usage_finality (metering_partition, closed_through, produced_at,"
            + " required_offsets) VALUES (:partition, :closedThrough, :producedAt, CAST(:required AS bigint[]))"
            + " ON CONFLICT DO NOTHING")
    void record(
            @Bind("partition") int meteringPartition,
            @Bind("closedThrough") Instant closedThrough,
            @Bind("producedAt") Instant producedAt,
            @Bind("required") List<Long> requiredOffsets);

    /**
     * Deletes the watermarks of {@code meteringPartition} that can no longer be its newest
     * effective one: those older than a reached one, and those needing exactly the offsets of a
     * newer one (which becomes effective no later). Without it, a watermark every second per
     * partition would pile up.
     */
    @SqlUpdate("DELETE FROM billing.usage_finality f WHERE f.metering_partition = :partition AND ("
            + " f.closed_through < (SELECT max(e.closed_through) FROM billing.usage_finality e"
            + "   WHERE e.metering_partition = :partition"
            + "   AND billing.usage_finality_reached(e.required_offsets, :ledgerGroup, :aggregatesTopic))"
            + " OR EXISTS (SELECT 1 FROM billing.usage_finality n WHERE n.metering_partition = :partition"
            + "   AND n.closed_through > f.closed_through AND n.required_offsets = f.required_offsets))")
    void prune(
            @Bind("partition") int meteringPartition,
            @Bind("ledgerGroup") String ledgerGroup,
            @Bind("aggregatesTopic") String aggregatesTopic);

    /**
     * Each metering partition that reported: its newest watermark, and its newest watermark the
     * ledger has reached (null while none is), by partition.
     */
    @SqlQuery("SELECT metering_partition AS partition, max(closed_through) AS latest,"
            + " max(closed_through) FILTER (WHERE"
            + "   billing.usage_finality_reached(required_offsets, :ledgerGroup, :aggregatesTopic)) AS effective"
            + " FROM billing.usage_finality GROUP BY metering_partition ORDER BY metering_partition")
    @RegisterConstructorMapper(Reported.class)
    List<Reported> reported(@Bind("ledgerGroup") String ledgerGroup, @Bind("aggregatesTopic") String aggregatesTopic);

    /** What one usage-events partition reported and how much of it the ledger holds. */
    record Reported(int partition, Instant latest, @Nullable Instant effective) {}
}
