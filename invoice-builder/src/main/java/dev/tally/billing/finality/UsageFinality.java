package dev.tally.billing.finality;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.ledger.UsageLedgerConsumer;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * How far usage is final in billing: through which instant every window metering closed is in
 * the usage ledger. A billing period ending at {@code periodEnd} may be closed once
 * {@code finalThrough().isPresent() && !periodEnd.plus(margin).isAfter(finalThrough().get())}
 * ({@code margin}: {@link BillingSettings#finalityMargin()}).
 *
 * <p>Exact: a watermark counts only once the ledger consumer's offsets, stored in PostgreSQL with
 * the ledger rows, reach the offsets recorded with it ({@link FinalityRecorder}); before that it is
 * only reported. For the whole deployment, not per organization.
 */
@Singleton
public final class UsageFinality {

    private final Jdbi jdbi;
    private final UsageEventPartitions partitions;
    private final String ledgerGroup;
    private final String aggregatesTopic;

    @Inject
    public UsageFinality(
            BillingDatabase database, BillingSettings settings, Topics topics, UsageEventPartitions partitions) {
        this(
                database.jdbi(),
                partitions,
                UsageLedgerConsumer.group(settings),
                topics.usageAggregates().name());
    }

    /** Finality of the ledger consumed by {@code ledgerGroup} from {@code aggregatesTopic}. */
    UsageFinality(Jdbi jdbi, UsageEventPartitions partitions, String ledgerGroup, String aggregatesTopic) {
        this.jdbi = jdbi;
        this.partitions = partitions;
        this.ledgerGroup = ledgerGroup;
        this.aggregatesTopic = aggregatesTopic;
    }

    /** The instant through which usage is final in the ledger; empty while unknown. */
    public Optional<Instant> finalThrough() {
        return snapshot().finalThrough();
    }

    /** Finality with each partition's part in it. */
    public FinalitySnapshot snapshot() {
        return FinalitySnapshot.of(partitions.count(), jdbi.withHandle(handle -> handle.attach(FinalityDao.class)
                .reported(ledgerGroup, aggregatesTopic)));
    }
}
