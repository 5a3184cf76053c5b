package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.topic.Keys;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * V3 to V5 on a database that already billed with the old model (schema at V2): a finalized
 * invoice whose line billed a window and an old additive correction.
 *
 * <pre>
 *  Nov 2 10:00 window 3 ─┐
 *  correction|org_1|e1 +2 ├─ INV-1 line: 5 × 0.05 = 25¢ (finalized)
 *                         └─ after V5: Nov 2 10:00 restated to 4 (revision 1) → December adjusts November by -1
 * </pre>
 */
class MigrationIT {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant WINDOW = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void shouldMigrateBilledLedgerRowsAndInvoicesOfTheOldModelWithoutChangingWhatTheyBilled() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "2");
        Jdbi jdbi = Jdbi.create(dataSource);
        String windowKey = Keys.window("org_1", false, "c1", "ai_call", WINDOW.toEpochMilli());
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO billing.organizations (id, name, next_invoice_number) VALUES ('org_1', 'Old', 2)");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                    + " VALUES ('cus_1', 'org_1', false, 'c1')");
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, feature_key)"
                    + " VALUES ('prod_1', 'org_1', false, 'ai_call')");
            h.execute("INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount)"
                    + " VALUES ('price_1', 'org_1', false, 'prod_1', 'USD', 0.05)");
            h.execute("INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, price_id,"
                    + " product_id) VALUES ('sub_1', 'org_1', false, 'cus_1', 'price_1', 'prod_1')");
            h.execute(
                    "INSERT INTO billing.billing_periods (organization_id, livemode, period_start, period_end)"
                            + " VALUES ('org_1', false, ?, ?)",
                    Timestamp.from(NOV),
                    Timestamp.from(DEC));
            h.execute(
                    "INSERT INTO billing.invoices (id, number, organization_id, livemode, customer_id,"
                            + " billing_period_id, currency, period_start, period_end, status)"
                            + " SELECT 'inv_1', 'INV-000001', 'org_1', false, 'cus_1', id, 'USD', ?, ?, 'draft'"
                            + " FROM billing.billing_periods",
                    Timestamp.from(NOV),
                    Timestamp.from(DEC));
            h.execute("INSERT INTO billing.invoice_lines (id, invoice_id, price_id, feature_key, quantity,"
                    + " unit_amount, amount_minor) VALUES ('il_1', 'inv_1', 'price_1', 'ai_call', 5, 0.05, 25)");
            for (String[] row : List.of(
                    new String[] {windowKey, "window", "3"}, new String[] {"correction|org_1|e1", "correction", "2"})) {
                h.execute(
                        "INSERT INTO billing.usage_ledger (aggregate_id, organization_id, livemode, customer, feature,"
                                + " window_start, window_end, quantity, event_count, kind, source_topic,"
                                + " source_partition, source_offset, invoice_line_id) VALUES (?, 'org_1', false, 'c1',"
                                + " 'ai_call', ?, ?, ?, 1, ?, 't', 0, 0, 'il_1')",
                        row[0],
                        Timestamp.from(WINDOW),
                        Timestamp.from(WINDOW.plusSeconds(3600)),
                        new BigDecimal(row[2]),
                        row[1]);
            }
            h.execute("UPDATE billing.invoices SET status = 'finalized', finalized_at = now(), total_minor = 25"
                    + " WHERE id = 'inv_1'");
        });

        CloseHarness harness = new CloseHarness(dataSource);

        List<String> rows = jdbi.withHandle(h -> h.createQuery("SELECT aggregate_id || ' ' || window_key || ' '"
                        + " || aggregation || ' ' || revision FROM billing.usage_ledger ORDER BY id")
                .mapTo(String.class)
                .list());
        assertThat(rows)
                .containsExactly(
                        windowKey + " " + windowKey + " sum 0", "correction|org_1|e1 correction|org_1|e1 sum 0");
        // the guard against changing billed rows is back on
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE billing.usage_ledger SET quantity = 0")))
                .hasMessageContaining("is billed");
        assertThat(harness.lines(invoice(harness))).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(LineKind.USAGE);
            assertThat(line.usagePeriod()).isEqualTo(new UsagePeriod(NOV, DEC));
        });
        String settings = jdbi.withHandle(h -> h.createQuery(
                        "SELECT unknown_feature || ' ' || (settings_enqueued_at IS NULL) FROM billing.organizations")
                .mapTo(String.class)
                .one());
        assertThat(settings).isEqualTo("accept_as_sum true");

        // the old window restated whole (late event retracted): 3 → 2; the old correction still adds its 2
        harness.fixtures
                .statement("org_1", "c1", "ai_call", WINDOW)
                .revision(1)
                .quantity("2")
                .insert();
        Invoice december = harness.closeOne(DEC.toString(), "2027-01-01T00:00:00Z");

        InvoiceLine adjustment = harness.lines(december).stream()
                .filter(l -> l.kind() == LineKind.ADJUSTMENT)
                .findFirst()
                .orElseThrow();
        assertThat(adjustment.usagePeriod()).isEqualTo(new UsagePeriod(NOV, DEC));
        assertThat(adjustment.previousQuantity()).isEqualByComparingTo("5");
        assertThat(adjustment.quantity()).isEqualByComparingTo("-1");
        assertThat(december.totalMinor()).isZero();
        assertThat(harness.lines(december).getLast().kind()).isEqualTo(LineKind.CREDIT_CARRIED_FORWARD);
        assertThat(december.number())
                .as("numbering goes on from the organization's old counter (V20 moved it to invoice_counters, V27 to"
                        + " each mode's), with the prefix derived from its name")
                .isEqualTo(InvoiceFixtures.testModeNumber("OLD", december.finalizedAt(), 2));
    }

    /**
     * V7 on a ledger of V6 (a copy of the window's values on every statement): each window's values
     * move once to window_values, with the revisions they held for, and the column goes.
     *
     * <pre>
     *  window w  r0 {a,b,c}  r1 {a,c,d}  r1 again {zzz} (recorded second: does not count)  r3 {a,b}
     *  window v  r0 {x}
     *  → a 0-   b 0-1   b 3-   c 0-3   d 1-3   x 0-
     * </pre>
     */
    @Test
    void shouldMoveTheDistinctValuesOfEveryRevisionToWindowValuesOnce() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "6");
        Jdbi jdbi = Jdbi.create(dataSource);
        String w = Keys.window("org_1", false, "c1", "seats", WINDOW.toEpochMilli());
        String v = Keys.window(
                "org_1", false, "c1", "seats", WINDOW.plusSeconds(3600).toEpochMilli());
        jdbi.useTransaction(h -> {
            Object[][] statements = {
                {w, w, 0, new String[] {"a", "b", "c"}},
                {w + "#1", w, 1, new String[] {"a", "c", "d"}},
                {w + "#1-again", w, 1, new String[] {"zzz"}},
                {w + "#3", w, 3, new String[] {"a", "b"}},
                {v, v, 0, new String[] {"x"}},
            };
            for (Object[] s : statements) {
                h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key, organization_id,"
                                + " livemode, customer, feature, window_start, window_end, quantity, event_count,"
                                + " kind, aggregation, revision, distinct_values, source_topic, source_partition,"
                                + " source_offset) VALUES (:id, :key, 'org_1', false, 'c1', 'seats', :start, :end,"
                                + " :quantity, 1, 'window', 'unique_count', :revision, :values, 't', 0, 0)")
                        .bind("id", (String) s[0])
                        .bind("key", (String) s[1])
                        .bind("start", Timestamp.from(WINDOW))
                        .bind("end", Timestamp.from(WINDOW.plusSeconds(3600)))
                        .bind("quantity", ((String[]) s[3]).length)
                        .bind("revision", (int) s[2])
                        .bindArray("values", String.class, (Object[]) s[3])
                        .execute();
            }
        });

        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "7");

        List<String> ranges = jdbi.withHandle(h -> h.createQuery("SELECT value || ' ' || from_revision || '-'"
                        + " || coalesce(to_revision::text, '') FROM billing.window_values"
                        + " ORDER BY value, from_revision")
                .mapTo(String.class)
                .list());
        assertThat(ranges).containsExactly("a 0-", "b 0-1", "b 3-", "c 0-3", "d 1-3", "x 0-");
        long valueColumns = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.columns"
                        + " WHERE table_schema = 'billing' AND column_name = 'distinct_values'")
                .mapTo(Long.class)
                .one());
        assertThat(valueColumns).isZero();
    }

    /**
     * V8 on the values of V7 (ranges of revisions): each window counts the same as of each of its
     * revisions, alone and with others, and is complete as of its newest revision, gaps included (V7
     * took a revision older than the newest it had as changing nothing: so does V8 for one arriving
     * now).
     *
     * <pre>
     *  window w  r0 {a,b,c}  r1 {a,c,d}  r1 again {zzz} (recorded second)  (r2 never arrived)  r3 {a,b}
     *  window v  r0 {x}
     *  window u  r1 {p,q} recorded first, then r0 {p} (V7 stored nothing for r0: as of r0, 0 values)
     *  window s  r0 sum 5
     * </pre>
     */
    @Test
    void shouldCountEveryWindowAsOfEachRevisionAsWindowValuesDidAfterMovingItsRangesToChanges() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "6");
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        String w = Keys.window("org_1", false, "c1", "seats", WINDOW.toEpochMilli());
        String v = Keys.window(
                "org_1", false, "c1", "seats", WINDOW.plusSeconds(3600).toEpochMilli());
        String u = Keys.window(
                "org_1", false, "c1", "seats", WINDOW.plusSeconds(7200).toEpochMilli());
        String sum = Keys.window("org_1", false, "c1", "calls", WINDOW.toEpochMilli());
        jdbi.useTransaction(h -> {
            Object[][] statements = {
                {w, w, 0, new String[] {"a", "b", "c"}},
                {w + "#1", w, 1, new String[] {"a", "c", "d"}},
                {w + "#1-again", w, 1, new String[] {"zzz"}},
                {w + "#3", w, 3, new String[] {"a", "b"}},
                {v, v, 0, new String[] {"x"}},
            };
            for (Object[] s : statements) {
                insertV6Statement(
                        h, (String) s[0], (String) s[1], "seats", "unique_count", (int) s[2], (String[]) s[3]);
            }
            insertV6Statement(h, sum, sum, "calls", "sum", 0, new String[0]);
        });
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "7");
        // as V7's consumer recorded u: revision 1 first (its values from 1), then revision 0 (older: nothing)
        jdbi.useTransaction(h -> {
            insertV7Statement(h, u + "#1", u, 1);
            insertV7Statement(h, u, u, 0);
            h.execute(
                    "INSERT INTO billing.window_values (organization_id, livemode, window_key, value, from_revision)"
                            + " VALUES ('org_1', false, ?, 'p', 1), ('org_1', false, ?, 'q', 1)",
                    u,
                    u);
        });
        List<String> statementIds = List.of(w, w + "#1", w + "#3", v, u, u + "#1");
        List<Long> v7Counts =
                statementIds.stream().map(id -> v7Count(jdbi, List.of(id))).toList();
        List<Long> v7Unions = statementIds.stream()
                .filter(id -> id.startsWith(w))
                .map(id -> v7Count(jdbi, List.of(id, v, u + "#1")))
                .toList();
        assertThat(v7Counts).containsExactly(3L, 3L, 2L, 1L, 0L, 2L);

        Migrations.migrate(dataSource, BillingSettings.SCHEMA);

        List<Long> v8Counts =
                statementIds.stream().map(id -> v8Count(jdbi, List.of(id))).toList();
        List<Long> v8Unions = statementIds.stream()
                .filter(id -> id.startsWith(w))
                .map(id -> v8Count(jdbi, List.of(id, v, u + "#1")))
                .toList();
        assertThat(v8Counts).isEqualTo(v7Counts);
        assertThat(v8Unions).isEqualTo(v7Unions).containsExactly(6L, 6L, 5L);
        List<LedgerEntry> all =
                jdbi.withHandle(h -> h.createQuery("SELECT " + LedgerDao.columns("l") + " FROM billing.usage_ledger l")
                        .map((rs, ctx) -> LedgerDao.entry(rs))
                        .list());
        List<WindowValuesDao.MissingStatement> missing =
                jdbi.withHandle(h -> h.attach(WindowValuesDao.class).missing("org_1", false, all));
        assertThat(missing).isEmpty();
        long oldTables = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_schema = 'billing' AND table_name = 'window_values'")
                .mapTo(Long.class)
                .one());
        assertThat(oldTables).isZero();

        // w's revision 2 arrives at last, as a delta: taken as already received, it changes nothing
        BillingFixtures.on(jdbi)
                .statement("org_1", "c1", "seats", WINDOW)
                .aggregation("unique_count")
                .revision(2)
                .removed("a", "b", "c", "d")
                .insert();
        assertThat(v8Count(jdbi, List.of(w + "#3"))).isEqualTo(2);
    }

    private static void insertV6Statement(
            Handle h, String id, String key, String feature, String aggregation, int revision, String[] values) {
        h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key, organization_id,"
                        + " livemode, customer, feature, window_start, window_end, quantity, event_count,"
                        + " kind, aggregation, revision, distinct_values, source_topic, source_partition,"
                        + " source_offset) VALUES (:id, :key, 'org_1', false, 'c1', :feature, :start, :end,"
                        + " :quantity, 1, 'window', :aggregation, :revision, :values, 't', 0, 0)")
                .bind("id", id)
                .bind("key", key)
                .bind("feature", feature)
                .bind("aggregation", aggregation)
                .bind("start", Timestamp.from(WINDOW))
                .bind("end", Timestamp.from(WINDOW.plusSeconds(3600)))
                .bind("quantity", values.length == 0 ? 5 : values.length)
                .bind("revision", revision)
                .bindArray("values", String.class, (Object[]) values)
                .execute();
    }

    private static void insertV7Statement(Handle h, String id, String key, int revision) {
        h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key, organization_id,"
                        + " livemode, customer, feature, window_start, window_end, quantity, event_count,"
                        + " kind, aggregation, revision, source_topic, source_partition, source_offset)"
                        + " VALUES (:id, :key, 'org_1', false, 'c1', 'seats', :start, :end, 1, 1, 'window',"
                        + " 'unique_count', :revision, 't', 0, 0)")
                .bind("id", id)
                .bind("key", key)
                .bind("start", Timestamp.from(WINDOW.plusSeconds(7200)))
                .bind("end", Timestamp.from(WINDOW.plusSeconds(3 * 3600)))
                .bind("revision", revision)
                .execute();
    }

    /** The union of statements {@code ids}, each as of its revision, as V7 counted it from window_values. */
    private static long v7Count(Jdbi jdbi, List<String> ids) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT v.value) FROM billing.usage_ledger l"
                        + " JOIN billing.window_values v ON v.organization_id = l.organization_id"
                        + " AND v.livemode = l.livemode AND v.window_key = l.window_key"
                        + " AND v.from_revision <= l.revision AND (v.to_revision IS NULL OR v.to_revision > l.revision)"
                        + " WHERE l.aggregate_id = ANY(:ids)")
                .bindArray("ids", String.class, ids)
                .mapTo(Long.class)
                .one());
    }

    /** The same union as the close counts it now. */
    private static long v8Count(Jdbi jdbi, List<String> ids) {
        return jdbi.withHandle(h -> {
            List<LedgerEntry> windows = h.createQuery("SELECT " + LedgerDao.columns("l")
                            + " FROM billing.usage_ledger l WHERE l.aggregate_id = ANY(:ids)")
                    .bindArray("ids", String.class, ids)
                    .map((rs, ctx) -> LedgerDao.entry(rs))
                    .list();
            return h.attach(WindowValuesDao.class).distinctCount("org_1", false, windows);
        });
    }

    @Test
    void shouldGiveTheInvoicesIssuedBeforeV26TheDefaultTermsAndDraftsNoDueDate() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "25");
        Jdbi jdbi = Jdbi.create(dataSource);
        Instant finalized = Instant.parse("2026-12-01T00:00:05Z");
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_1', 'Old')");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                    + " VALUES ('cus_1', 'org_1', false, 'c1')");
            long period = h.createQuery("INSERT INTO billing.billing_periods (organization_id, livemode,"
                            + " period_start, period_end) VALUES ('org_1', false, :start, :end) RETURNING id")
                    .bind("start", NOV)
                    .bind("end", DEC)
                    .mapTo(Long.class)
                    .one();
            for (String id : List.of("inv_open", "inv_paid", "inv_draft")) {
                h.createUpdate("INSERT INTO billing.invoices (id, organization_id, livemode, customer_id,"
                                + " billing_period_id, currency, period_start, period_end, status) VALUES (:id,"
                                + " 'org_1', false, 'cus_1', :period, 'USD', :start, :end, 'draft')")
                        .bind("id", id)
                        .bind("period", period)
                        .bind("start", NOV)
                        .bind("end", DEC)
                        .execute();
            }
            h.createUpdate("UPDATE billing.invoices SET status = 'finalized', number = 'INV-' || id,"
                            + " finalized_at = :at WHERE id IN ('inv_open', 'inv_paid')")
                    .bind("at", finalized)
                    .execute();
            h.createUpdate("UPDATE billing.invoices SET status = 'paid', paid_at = :at WHERE id = 'inv_paid'")
                    .bind("at", finalized.plusSeconds(60))
                    .execute();
        });

        Migrations.migrate(dataSource, BillingSettings.SCHEMA);

        Instant due = finalized.plus(java.time.Duration.ofDays(30));
        List<String> dueAt = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id || ' ' || coalesce(to_char(due_at AT TIME ZONE"
                                + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'none') FROM billing.invoices ORDER BY id")
                .mapTo(String.class)
                .list());
        assertThat(dueAt).containsExactly("inv_draft none", "inv_open " + due, "inv_paid " + due);
        int terms = jdbi.withHandle(h -> h.createQuery("SELECT payment_terms_days FROM billing.organizations")
                .mapTo(Integer.class)
                .one());
        assertThat(terms).isEqualTo(30);
    }

    @Test
    void shouldAllowOneActiveMeterPerOrganizationModeAndFeature() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_1', 'Meters')");
            h.execute("INSERT INTO billing.meters (id, organization_id, livemode, feature_key, aggregation,"
                    + " archived_at) VALUES ('mtr_old', 'org_1', false, 'ai_call', 'sum', now())");
            h.execute("INSERT INTO billing.meters (id, organization_id, livemode, feature_key, aggregation)"
                    + " VALUES ('mtr_1', 'org_1', false, 'ai_call', 'max')");
            h.execute("INSERT INTO billing.meters (id, organization_id, livemode, feature_key, aggregation)"
                    + " VALUES ('mtr_live', 'org_1', true, 'ai_call', 'max')");
        });

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO billing.meters (id, organization_id,"
                        + " livemode, feature_key, aggregation) VALUES ('mtr_2', 'org_1', false, 'ai_call', 'sum')")))
                .hasMessageContaining("meters_one_active_per_feature");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO billing.meters (id, organization_id,"
                        + " livemode, feature_key, aggregation) VALUES ('mtr_3', 'org_1', false, 'seats',"
                        + " 'unique_count')")))
                .hasMessageContaining("check");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO billing.meters (id, organization_id,"
                        + " livemode, feature_key, aggregation, value_property) VALUES ('mtr_4', 'org_1', false,"
                        + " 'calls', 'count', 'n')")))
                .hasMessageContaining("check");
    }

    /**
     * V27 on counters of V20 (one per organization, shared by both modes): each mode gets a counter going on from
     * the shared one, so that no sequence number is taken twice; every organization gets an invoice prefix derived
     * from its name (or its id when the name has too few letters and digits).
     */
    @Test
    void shouldCarryTheSharedCounterOverToBothModesAndDeriveEveryOrganizationsInvoicePrefix() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "25");
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_1', 'Acme Analytics, Inc.'),"
                    + " ('org_q7', '!!'), ('org_2', 'Été')");
            h.execute("UPDATE billing.invoice_counters SET next_number = 7 WHERE organization_id = 'org_1'");
        });

        Migrations.migrate(dataSource, BillingSettings.SCHEMA);

        jdbi.useHandle(h -> h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_new', 'Zed')"));
        List<String> counters = jdbi.withHandle(h -> h.createQuery("SELECT organization_id || ' ' || livemode || ' '"
                        + " || next_number FROM billing.invoice_counters ORDER BY organization_id, livemode")
                .mapTo(String.class)
                .list());
        assertThat(counters)
                .containsExactly(
                        "org_1 false 7",
                        "org_1 true 7",
                        "org_2 false 1",
                        "org_2 true 1",
                        "org_new false 1",
                        "org_new true 1",
                        "org_q7 false 1",
                        "org_q7 true 1");
        List<String> prefixes = jdbi.withHandle(
                h -> h.createQuery("SELECT id || ' ' || invoice_prefix FROM billing.organizations ORDER BY id")
                        .mapTo(String.class)
                        .list());
        assertThat(prefixes).containsExactly("org_1 ACMEANALYTIC", "org_2 T2X", "org_new ZED", "org_q7 Q7X");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                        "INSERT INTO billing.organizations (id, name, invoice_prefix) VALUES ('org_bad', 'B', 'ab')")))
                .hasMessageContaining("organizations_invoice_prefix_format");
    }

    private static Invoice invoice(CloseHarness harness) {
        return harness.jdbi
                .withHandle(h -> new InvoiceDao(h).invoice("org_1", false, "inv_1"))
                .orElseThrow();
    }
}
