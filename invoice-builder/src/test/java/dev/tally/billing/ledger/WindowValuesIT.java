package dev.tally.billing.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.ledger.WindowValuesDao.MissingStatement;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UNIQUE_COUNT statements recorded through {@link LedgerDao#record} on the real PostgreSQL: each
 * revision stores the changes it makes, once, whatever order its parts and the other revisions
 * arrive in; a window's values as of a revision are the latest change of each value.
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
    void shouldStoreEachChangeOnceWhenAWindowIsRestatedOneValueAtATime() {
        recordAsOneBatch(restatedOneValueAtATime());

        // 1,000 change rows, not the 500,500 of a copy of the window per restatement
        assertThat(count("SELECT count(*) FROM billing.window_value_changes")).isEqualTo(RESTATEMENTS);
        assertThat(count("SELECT count(*) FROM billing.usage_ledger")).isEqualTo(RESTATEMENTS);
        assertThat(count("SELECT count(*) FROM billing.window_statement_parts")).isEqualTo(RESTATEMENTS);
        assertThat(distinctAt(RESTATEMENTS - 1)).isEqualTo(RESTATEMENTS);
        assertThat(distinctAt(9)).isEqualTo(10);
        assertThat(valuesAt(2)).containsExactlyInAnyOrderElementsOf(users(3));
        assertThat(missingAt(RESTATEMENTS - 1)).isEmpty();
    }

    /**
     * The same three revisions in every order they can arrive in (revision 0 on usage-aggregates,
     * the others on usage-corrections):
     *
     * <pre>
     *  r0 +a +b +c      → {a, b, c}
     *  r1 -b +d         → {a, c, d}
     *  r2 -a +e         → {c, d, e}
     * </pre>
     */
    @ParameterizedTest(name = "revisions arriving in the order {0}")
    @MethodSource("everyOrderOfThreeRevisions")
    void shouldHoldTheSameValuesAsOfEachRevisionWhateverOrderTheRevisionsArriveIn(List<Integer> order) {
        List<Statement> revisions = List.of(
                statement(0).added(List.of("a", "b", "c")),
                statement(1).added(List.of("d")).removed(List.of("b")),
                statement(2).added(List.of("e")).removed(List.of("a")));

        for (int revision : order) {
            record(revisions.get(revision));
        }

        assertThat(valuesAt(0)).containsExactly("a", "b", "c");
        assertThat(valuesAt(1)).containsExactly("a", "c", "d");
        assertThat(valuesAt(2)).containsExactly("c", "d", "e");
        assertThat(List.of(distinctAt(0), distinctAt(1), distinctAt(2))).containsExactly(3L, 3L, 3L);
        assertThat(missingAt(2)).isEmpty();
    }

    static Stream<Arguments> everyOrderOfThreeRevisions() {
        return Stream.of(
                        List.of(0, 1, 2),
                        List.of(0, 2, 1),
                        List.of(1, 0, 2),
                        List.of(1, 2, 0),
                        List.of(2, 0, 1),
                        List.of(2, 1, 0))
                .map(Arguments::of);
    }

    @Test
    void shouldReportRevisionZeroMissingWhileOnlyRevisionTwoHasArrived() {
        record(statement(2).added(List.of("e")).removed(List.of("a")));

        assertThat(missingAt(2)).containsExactly(new MissingStatement(KEY, 2, 0, 0, null));

        record(statement(0).added(List.of("a", "b", "c")));

        assertThat(missingAt(2)).containsExactly(new MissingStatement(KEY, 2, 1, 0, null));
        assertThat(missingAt(0)).isEmpty();
    }

    @Test
    void shouldHoldAValueRemovedAndThenAddedAgainOnlyAtTheRevisionsThatHaveIt() {
        record(statement(0).added(List.of("a", "b", "c")));
        record(statement(1).removed(List.of("b")));
        record(statement(2).added(List.of("b")));

        assertThat(changes()).containsExactly("a 0 +", "b 0 +", "b 1 -", "b 2 +", "c 0 +");
        assertThat(valuesAt(0)).containsExactly("a", "b", "c");
        assertThat(valuesAt(1)).containsExactly("a", "c");
        assertThat(valuesAt(2)).containsExactly("a", "b", "c");
        assertThat(List.of(distinctAt(0), distinctAt(1), distinctAt(2))).containsExactly(3L, 2L, 3L);
    }

    /**
     * Revision 0 sent as three parts; part 0 is delivered again between parts 1 and 2 (a consumer
     * restarted before storing its offset), then everything once more.
     */
    @Test
    void shouldApplyEachPartOnceWhenThePartsOfRevisionZeroArriveWithARedeliveryInBetween() {
        Statement part0 = statement(0).added(List.of("a", "b")).part(0, 3);
        Statement part1 = statement(0).added(List.of("c", "d")).part(1, 3);
        Statement part2 = statement(0).added(List.of("e")).part(2, 3);

        assertThat(record(part0)).isTrue();
        assertThat(record(part1)).isTrue();
        assertThat(missingAt(0)).containsExactly(new MissingStatement(KEY, 0, 0, 2, 3));
        assertThat(record(part0)).isFalse();
        assertThat(record(part2)).isTrue();
        List<Boolean> again = List.of(record(part0), record(part1), record(part2));

        assertThat(again).containsOnly(false);
        assertThat(missingAt(0)).isEmpty();
        assertThat(valuesAt(0)).containsExactly("a", "b", "c", "d", "e");
        assertThat(count("SELECT count(*) FROM billing.window_value_changes")).isEqualTo(5);
        // only part 0 makes the statement's ledger row, under the statement's own id
        List<String> ledger = jdbi.withHandle(h -> h.createQuery("SELECT aggregate_id FROM billing.usage_ledger")
                .mapTo(String.class)
                .list());
        assertThat(ledger).containsExactly(KEY);
    }

    @Test
    void shouldIgnoreASecondStatementOfARevisionAlreadyReceived() {
        record(statement(0).added(List.of("a", "b")));
        record(statement(1).removed(List.of("a")));

        // another statement of revision 1 (another id): the ledger counts the first recorded, so do the values
        record(statement(1).aggregateId(KEY + "#1-again").added(List.of("z")));

        assertThat(valuesAt(1)).containsExactly("b");
        assertThat(count("SELECT count(*) FROM billing.usage_ledger")).isEqualTo(3);
    }

    @Test
    void shouldRecordThePartsButNoValuesOfOtherAggregations() {
        record(statement(0).aggregation(Aggregation.SUM).added(List.of("ignored")));

        assertThat(count("SELECT count(*) FROM billing.window_statement_parts")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM billing.window_value_changes")).isZero();
    }

    /** 100,000 values in 10 parts of 10,000, then a restatement that removes one. */
    @Test
    void shouldCountAWindowOfOneHundredThousandValuesSentInTenPartsExactly() {
        int parts = 10;
        int perPart = 10_000;
        List<String> all = users(parts * perPart);
        long start = System.nanoTime();
        for (int part = 0; part < parts; part++) {
            record(statement(0)
                    .added(all.subList(part * perPart, (part + 1) * perPart))
                    .part(part, parts));
        }
        long recorded = System.nanoTime();
        record(statement(1).removed(List.of(all.get(12_345))));

        long counting = System.nanoTime();
        long atZero = distinctAt(0);
        long atOne = distinctAt(1);
        long counted = System.nanoTime();
        LOG.info(
                "100,000 values in {} parts recorded in {} ms; two counts as of revisions 0 and 1 in {} ms",
                parts,
                (recorded - start) / 1_000_000,
                (counted - counting) / 1_000_000);

        assertThat(atZero).isEqualTo(100_000);
        assertThat(atOne).isEqualTo(99_999);
        assertThat(missingAt(1)).isEmpty();
        assertThat(count("SELECT count(*) FROM billing.window_value_changes")).isEqualTo(100_001);
    }

    /**
     * Windows w (r0 {a,b}, r1 -a +c → {b,c}) and v (r0 {c,d}) counted together, w as of each of its
     * revisions.
     */
    @Test
    void shouldCountTheUnionOfWindowsEachAsOfItsStatementsRevision() {
        record(statement(0).added(List.of("a", "b")));
        record(statement(1).added(List.of("c")).removed(List.of("a")));
        Instant other = WINDOW.plusSeconds(3600);
        String otherKey = Keys.window("org_1", false, "c1", "seats", other.toEpochMilli());
        record(statement(0).window(other).added(List.of("c", "d")));

        long union = jdbi.withHandle(h -> h.attach(WindowValuesDao.class)
                .distinctCount("org_1", false, List.of(entry(h, KEY + "#1"), entry(h, otherKey))));
        long asOfRevisionZero = jdbi.withHandle(h -> h.attach(WindowValuesDao.class)
                .distinctCount("org_1", false, List.of(entry(h, KEY), entry(h, otherKey))));

        assertThat(union).isEqualTo(3); // b, c, d
        assertThat(asOfRevisionZero).isEqualTo(4); // a, b, c, d
    }

    @Test
    void shouldApplyAPartOnceWhenTwoConsumersRecordItAtTheSameTime() throws Exception {
        Statement statement = statement(0).added(List.of("a", "b"));
        ExecutorService other = Executors.newSingleThreadExecutor();
        boolean second;
        try (Handle first = jdbi.open()) {
            first.begin();
            assertThat(new LedgerDao(first).record(statement.build(), "usage-aggregates", 0, ++offset))
                    .isTrue();
            // the same record read again by another consumer (after a rebalance) while the first is uncommitted
            Future<Boolean> again = other.submit(() -> record(statement));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock() > 0);
            first.commit();
            second = again.get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }

        assertThat(second).isFalse();
        assertThat(changes()).containsExactly("a 0 +", "b 0 +");
        assertThat(count("SELECT count(*) FROM billing.usage_ledger")).isEqualTo(1);
    }

    /**
     * The issue's case, scaled down: the bytes of a window restated 1,000 times, one value more each
     * time, stored as copies (schema V6) and stored as changes (now).
     */
    @Test
    void shouldStoreARestatedWindowInAFractionOfTheBytesOfACopyPerRestatement() {
        DataSource old = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(old, BillingSettings.SCHEMA, "6");
        Jdbi copies = Jdbi.create(old);
        copies.useTransaction(h -> {
            for (int r = 0; r < RESTATEMENTS; r++) {
                h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key,"
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
                        .execute();
            }
        });
        recordAsOneBatch(restatedOneValueAtATime());

        long copied = bytes(copies, "billing.usage_ledger");
        long ledger = bytes(jdbi, "billing.usage_ledger");
        long values = bytes(jdbi, "billing.window_value_changes") + bytes(jdbi, "billing.window_statement_parts");
        // the ledger keeps a row per restatement either way: what changes is the values' share
        long copiedValues = copied - ledger;
        LOG.info(
                "{} restatements of one window, one value more each: ledger with copies (V6) {} bytes;"
                        + " now ledger {} + changes and parts {} bytes; the values take {} bytes instead of {}",
                RESTATEMENTS,
                copied,
                ledger,
                values,
                values,
                copiedValues);
        assertThat(values).isLessThan(copiedValues / 10);
        assertThat(ledger + values).isLessThan(copied / 3);
    }

    /** A UNIQUE_COUNT statement of window KEY being built, in one part and with no values unless told. */
    private static Statement statement(long revision) {
        return new Statement(revision);
    }

    private static final class Statement {
        private final long revision;
        private Instant window = WINDOW;
        private String aggregateId;
        private Aggregation aggregation = Aggregation.UNIQUE_COUNT;
        private List<String> added = List.of();
        private List<String> removed = List.of();
        private int part;
        private int parts = 1;

        Statement(long revision) {
            this.revision = revision;
        }

        Statement window(Instant start) {
            window = start;
            return this;
        }

        Statement aggregateId(String id) {
            aggregateId = id;
            return this;
        }

        Statement aggregation(Aggregation value) {
            aggregation = value;
            return this;
        }

        Statement added(List<String> values) {
            added = values;
            return this;
        }

        Statement removed(List<String> values) {
            removed = values;
            return this;
        }

        Statement part(int index, int count) {
            part = index;
            parts = count;
            return this;
        }

        /** The record as metering sends it. */
        UsageAggregate build() {
            String key = Keys.window("org_1", false, "c1", "seats", window.toEpochMilli());
            String id = aggregateId != null ? aggregateId : revision == 0 ? key : key + "#" + revision;
            return UsageAggregate.newBuilder()
                    .setOrganizationId("org_1")
                    .setCustomerId("c1")
                    .setFeature("seats")
                    .setLivemode(false)
                    .setWindowStart(window)
                    .setWindowEnd(window.plusSeconds(3600))
                    .setQuantity(BigDecimal.ONE.setScale(9))
                    .setEventCount(1)
                    .setClosed(true)
                    .setKind(revision == 0 ? AggregateKind.WINDOW : AggregateKind.CORRECTION)
                    .setAggregateId(part == 0 ? id : id + "/" + part)
                    .setRevision(revision)
                    .setAggregation(aggregation)
                    .setValuesAdded(added)
                    .setValuesRemoved(removed)
                    .setPart(part)
                    .setParts(parts)
                    .build();
        }
    }

    /** Window KEY's revision 0 with one value, then RESTATEMENTS - 1 restatements adding one more each. */
    private static List<Statement> restatedOneValueAtATime() {
        List<Statement> statements = new ArrayList<>();
        statements.add(statement(0).added(users(1)));
        for (int revision = 1; revision < RESTATEMENTS; revision++) {
            statements.add(statement(revision).added(List.of(user(revision))));
        }
        return statements;
    }

    /** Records {@code statements} in one transaction, as the ledger consumer records a batch. */
    private void recordAsOneBatch(List<Statement> statements) {
        jdbi.useTransaction(h -> {
            LedgerDao ledger = new LedgerDao(h);
            for (Statement statement : statements) {
                ledger.record(statement.build(), "usage-corrections", 0, ++offset);
            }
        });
    }

    private boolean record(Statement statement) {
        UsageAggregate aggregate = statement.build();
        String topic = aggregate.getRevision() == 0 ? "usage-aggregates" : "usage-corrections";
        return jdbi.inTransaction(h -> new LedgerDao(h).record(aggregate, topic, 0, ++offset));
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

    /** The DAO's count of window KEY as of {@code revision}, its ledger entry's. */
    private long distinctAt(long revision) {
        return jdbi.withHandle(h -> h.attach(WindowValuesDao.class)
                .distinctCount("org_1", false, List.of(entry(h, revision == 0 ? KEY : KEY + "#" + revision))));
    }

    private List<MissingStatement> missingAt(long revision) {
        return jdbi.withHandle(h -> h.attach(WindowValuesDao.class)
                .missing("org_1", false, List.of(entry(h, revision == 0 ? KEY : KEY + "#" + revision))));
    }

    private static LedgerEntry entry(Handle h, String aggregateId) {
        return h.createQuery("SELECT " + LedgerDao.columns("l") + " FROM billing.usage_ledger l"
                        + " WHERE l.aggregate_id = :id")
                .bind("id", aggregateId)
                .map((rs, ctx) -> LedgerDao.entry(rs))
                .one();
    }

    /** Window KEY's values as of {@code revision}, read independently of the DAO: each value's latest change. */
    private List<String> valuesAt(long revision) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM (SELECT DISTINCT ON (value) value, present"
                        + " FROM billing.window_value_changes WHERE window_key = :key AND revision <= :revision"
                        + " ORDER BY value, revision DESC) latest WHERE present ORDER BY value COLLATE \"C\"")
                .bind("key", KEY)
                .bind("revision", revision)
                .mapTo(String.class)
                .list());
    }

    /** Each change as "value revision +|-", in order. */
    private List<String> changes() {
        return new ArrayList<>(jdbi.withHandle(h -> h.createQuery("SELECT value || ' ' || revision || ' '"
                        + " || CASE WHEN present THEN '+' ELSE '-' END FROM billing.window_value_changes"
                        + " ORDER BY value, revision")
                .mapTo(String.class)
                .list()));
    }

    /** Transactions of this database waiting for a lock (here: another's uncommitted row of the same key). */
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
