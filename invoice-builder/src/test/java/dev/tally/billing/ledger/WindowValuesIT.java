package dev.tally.billing.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingSettings;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UNIQUE_COUNT statements recorded through {@link LedgerDao#record} on the real PostgreSQL: each
 * window's values are stored once, with the revisions they hold for.
 */
class WindowValuesIT {

    private static final Logger LOG = LoggerFactory.getLogger(WindowValuesIT.class);
    private static final Instant WINDOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final String KEY = Keys.window("org_1", false, "c1", "seats", WINDOW.toEpochMilli());
    private static final int RESTATEMENTS = 1_000;

    private Jdbi jdbi;
    private long offset;

    @BeforeEach
    void setUp() {
        jdbi = BillingFixtures.migrated().jdbi();
    }

    @Test
    void shouldStoreEachValueOnceWhenAWindowIsRestatedOneValueAtATime() {
        for (int revision = 0; revision < RESTATEMENTS; revision++) {
            record(revision, users(revision + 1));
        }

        // 1,000 value rows, not the 500,500 of a copy of the window per restatement
        assertThat(count("SELECT count(*) FROM billing.window_values")).isEqualTo(RESTATEMENTS);
        assertThat(count("SELECT count(*) FROM billing.window_values WHERE to_revision IS NULL"))
                .isEqualTo(RESTATEMENTS);
        assertThat(count("SELECT count(*) FROM billing.usage_ledger")).isEqualTo(RESTATEMENTS);
        assertThat(distinctAt(RESTATEMENTS - 1)).isEqualTo(RESTATEMENTS);
        assertThat(distinctAt(9)).isEqualTo(10);
        assertThat(valuesAt(2)).containsExactlyElementsOf(users(3));
    }

    @Test
    void shouldCloseTheRangeOfARemovedValueAndOpenANewOneWhenItComesBack() {
        record(0, List.of("a", "b", "c"));
        record(1, List.of("a", "c", "d"));
        record(2, List.of("a", "b", "c", "d"));

        assertThat(ranges()).containsExactly("a 0-", "b 0-1", "b 2-", "c 0-", "d 1-");
        assertThat(valuesAt(0)).containsExactly("a", "b", "c");
        assertThat(valuesAt(1)).containsExactly("a", "c", "d");
        assertThat(valuesAt(2)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void shouldChangeNothingOnARedeliveryAnOlderRevisionOrASecondStatementOfTheSameRevision() {
        record(0, List.of("a", "b"));
        record(2, List.of("b", "c"));
        List<String> before = ranges();

        boolean redelivered = record(2, List.of("b", "c"));
        // revisions travel on two topics: revision 1 may arrive after revision 2
        record(1, List.of("x", "y", "z"));
        jdbi.useTransaction(h -> new LedgerDao(h)
                .record(
                        UsageAggregate.newBuilder(aggregate(2, List.of("q")))
                                .setAggregateId(KEY + "#2-again")
                                .build(),
                        "usage-corrections",
                        0,
                        ++offset));

        assertThat(redelivered).isFalse();
        assertThat(ranges()).isEqualTo(before).containsExactly("a 0-2", "b 0-", "c 2-");
        assertThat(valuesAt(2)).containsExactly("b", "c");
    }

    @Test
    void shouldKeepTheNewestRevisionsValuesWhenAnOlderOneIsRecordedAtTheSameTimeAndCommitsLast() throws Exception {
        record(0, List.of("a"));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Handle newer = jdbi.open()) {
            newer.begin();
            new LedgerDao(newer).record(aggregate(2, List.of("c")), "usage-corrections", 0, ++offset);
            // revision 1 on the other topic, recorded by another consumer while revision 2 is uncommitted
            Future<Boolean> older = other.submit(() -> record(1, List.of("b")));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock() > 0);
            newer.commit();
            older.get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }

        assertThat(ranges()).containsExactly("a 0-2", "c 2-");
        assertThat(count("SELECT count(*) FROM billing.usage_ledger")).isEqualTo(3);
    }

    @Test
    void shouldCountTheUnionOfWindowsEachAsOfItsStatementsRevision() {
        record(0, List.of("a", "b"));
        record(1, List.of("b", "c"));
        Instant other = WINDOW.plusSeconds(3600);
        String otherKey = Keys.window("org_1", false, "c1", "seats", other.toEpochMilli());
        jdbi.useTransaction(h -> new LedgerDao(h)
                .record(
                        UsageAggregate.newBuilder(aggregate(0, List.of("c", "d")))
                                .setWindowStart(other)
                                .setWindowEnd(other.plusSeconds(3600))
                                .setAggregateId(otherKey)
                                .build(),
                        "usage-aggregates",
                        0,
                        ++offset));

        long union = jdbi.withHandle(h -> new WindowValuesDao(h)
                .distinctCount("org_1", false, List.of(entry(h, KEY + "#1"), entry(h, otherKey))));
        long asOfRevisionZero = jdbi.withHandle(
                h -> new WindowValuesDao(h).distinctCount("org_1", false, List.of(entry(h, KEY), entry(h, otherKey))));

        assertThat(union).isEqualTo(3); // b, c, d
        assertThat(asOfRevisionZero).isEqualTo(4); // a, b, c, d
    }

    /**
     * The issue's case, scaled down: the bytes of a window restated 1,000 times, one value more each
     * time, stored as copies (schema V6) and stored once (now).
     */
    @Test
    void shouldStoreARestatedWindowInAFractionOfTheBytesOfACopyPerRestatement() {
        DataSource old = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(old, BillingSettings.SCHEMA, "6");
        Jdbi copies = Jdbi.create(old);
        for (int revision = 0; revision < RESTATEMENTS; revision++) {
            int r = revision;
            copies.useHandle(h -> h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key,"
                            + " organization_id, livemode, customer, feature, window_start, window_end, quantity,"
                            + " event_count, kind, aggregation, revision, distinct_values, source_topic,"
                            + " source_partition, source_offset) VALUES (:id, :key, 'org_1', false, 'c1', 'seats',"
                            + " :start, :end, :quantity, :quantity, 'correction', 'unique_count', :revision, :values,"
                            + " 't', 0, :revision)")
                    .bind("id", r == 0 ? KEY : KEY + "#" + r)
                    .bind("key", KEY)
                    .bind("start", Timestamp.from(WINDOW))
                    .bind("end", Timestamp.from(WINDOW.plusSeconds(3600)))
                    .bind("quantity", r + 1)
                    .bind("revision", r)
                    .bindArray("values", String.class, users(r + 1))
                    .execute());
        }
        for (int revision = 0; revision < RESTATEMENTS; revision++) {
            record(revision, users(revision + 1));
        }

        long copiedCount = copies.withHandle(
                h -> h.createQuery("SELECT sum(cardinality(distinct_values)) FROM billing.usage_ledger")
                        .mapTo(Long.class)
                        .one());
        assertThat(copiedCount).isEqualTo((long) RESTATEMENTS * (RESTATEMENTS + 1) / 2);
        long copied = bytes(copies, "billing.usage_ledger");
        long ledger = bytes(jdbi, "billing.usage_ledger");
        long values = bytes(jdbi, "billing.window_values");
        // the ledger keeps a row per restatement either way: what changes is the values' share
        long copiedValues = copied - ledger;
        LOG.info(
                "{} restatements of one window, one value more each: ledger with copies (V6) {} bytes;"
                        + " now ledger {} + window_values {} bytes; the values take {} bytes instead of {}",
                RESTATEMENTS,
                copied,
                ledger,
                values,
                values,
                copiedValues);
        assertThat(values).isLessThan(copiedValues / 10);
        assertThat(ledger + values).isLessThan(copied / 3);
    }

    private boolean record(long revision, List<String> values) {
        return jdbi.inTransaction(
                h -> new LedgerDao(h).record(aggregate(revision, values), "usage-corrections", 0, ++offset));
    }

    private static UsageAggregate aggregate(long revision, List<String> values) {
        return UsageAggregate.newBuilder()
                .setOrganizationId("org_1")
                .setCustomerId("c1")
                .setFeature("seats")
                .setLivemode(false)
                .setWindowStart(WINDOW)
                .setWindowEnd(WINDOW.plusSeconds(3600))
                .setQuantity(new BigDecimal(values.size()).setScale(9))
                .setEventCount(values.size())
                .setClosed(true)
                .setKind(revision == 0 ? AggregateKind.WINDOW : AggregateKind.CORRECTION)
                .setAggregateId(revision == 0 ? KEY : KEY + "#" + revision)
                .setRevision(revision)
                .setAggregation(Aggregation.UNIQUE_COUNT)
                .setDistinctValues(values)
                .build();
    }

    /** The first {@code n} user ids (random-looking, as real ones, so they do not compress away), sorted. */
    private static List<String> users(int n) {
        return IntStream.range(0, n).mapToObj(WindowValuesIT::user).sorted().toList();
    }

    private static String user(int i) {
        return UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private long distinctAt(long revision) {
        return jdbi.withHandle(h -> new WindowValuesDao(h)
                .distinctCount("org_1", false, List.of(entry(h, revision == 0 ? KEY : KEY + "#" + revision))));
    }

    private static LedgerEntry entry(Handle h, String aggregateId) {
        return h.createQuery("SELECT " + LedgerDao.columns("l") + " FROM billing.usage_ledger l"
                        + " WHERE l.aggregate_id = :id")
                .bind("id", aggregateId)
                .map((rs, ctx) -> LedgerDao.entry(rs))
                .one();
    }

    private List<String> valuesAt(long revision) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM billing.window_values WHERE window_key = :key"
                        + " AND from_revision <= :revision AND (to_revision IS NULL OR to_revision > :revision)"
                        + " ORDER BY value COLLATE \"C\"")
                .bind("key", KEY)
                .bind("revision", revision)
                .mapTo(String.class)
                .list());
    }

    /** Each value row as "value from-to" (to empty while current), in order. */
    private List<String> ranges() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT value || ' ' || from_revision || '-'"
                                + " || coalesce(to_revision::text, '') FROM billing.window_values ORDER BY value, from_revision")
                .mapTo(String.class)
                .list());
    }

    /** Transactions of this database waiting for a lock (a window's, or a row's). */
    private long waitingForALock() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND datname = current_database()");
    }

    private static long bytes(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT pg_total_relation_size(CAST(:t AS regclass))")
                .bind("t", table)
                .mapTo(Long.class)
                .one());
    }
}
