package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.Ids;
import dev.tally.billing.invoicing.SubscriptionInvoicingDao;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * Gapless numbering under concurrency, on the real database: 8 threads write 50 transactions each over 2
 * organizations x 2 modes, as the billers write them: 7 threads as the billing cycle ({@link InvoiceIssuer#draftAll}
 * then {@link InvoiceIssuer#finalizeAll}, batches of one to three invoices of mixed tenants, the organizations'
 * rows shared first), 1 as the period close (the organization's row and counter locked, numbered drafts through
 * {@link InvoiceIssuer#open}). Every fourth transaction is rolled back AFTER its numbers were taken, and some
 * leave drafts behind. Per organization and mode the numbers are exactly 1..N, without gap or duplicate, the
 * counter stands at N + 1, and drafts have no number.
 */
class InvoiceNumberingConcurrencyIT {

    private static final int THREADS = 8;
    private static final int TRANSACTIONS = 50;
    private static final Instant FINALIZED = Instant.parse("2026-06-15T12:00:00Z");
    private static final UsagePeriod PERIOD =
            new UsagePeriod(Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));

    /** An organization and a mode, with its customer, price and closed billing period. */
    private record Tenant(String org, String prefix, boolean livemode, long periodId) {
        String customer() {
            return "cus_" + org + "_" + livemode;
        }

        String price() {
            return "price_" + org + "_" + livemode;
        }
    }

    private static final class Rollback extends RuntimeException {
        Rollback() {
            super("rolled back after numbering", null, false, false);
        }
    }

    @Test
    void shouldNumberEveryOrganizationAndModeFromOneWithoutGapOrDuplicateWhateverRunsAtOnceOrRollsBack()
            throws Exception {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA);
        BillingDatabase database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        Jdbi jdbi = database.jdbi();
        InvoiceIssuer issuer = new InvoiceIssuer(
                database,
                Topics.create(
                        "numbering-" + UUID.randomUUID() + ".",
                        SchemaRegistryServer.shared().client()));
        List<Tenant> tenants = new ArrayList<>();
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme'), ('org_b', 'Beta Labs')");
            for (String org : List.of("org_a", "org_b")) {
                for (boolean livemode : List.of(false, true)) {
                    long period = new BillingPeriodDao(h).insertPeriod(org, livemode, PERIOD.start(), PERIOD.end());
                    Tenant tenant = new Tenant(org, org.equals("org_a") ? "ACME" : "BETALABS", livemode, period);
                    tenants.add(tenant);
                    h.execute(
                            "INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES (?, ?, ?, ?)",
                            tenant.customer(),
                            org,
                            livemode,
                            tenant.customer());
                    h.execute(
                            "INSERT INTO billing.products (id, organization_id, livemode, feature_key) VALUES (?, ?, ?, 'f')",
                            "prod_" + tenant.price(),
                            org,
                            livemode);
                    h.execute(
                            "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                                    + " model, definition) VALUES (?, ?, ?, ?, 'USD', 1, 'per_unit', '{}')",
                            tenant.price(),
                            org,
                            livemode,
                            "prod_" + tenant.price());
                }
            }
        });

        AtomicInteger drafts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    int n = thread * TRANSACTIONS + i;
                    boolean rollBack = n % 4 == 3;
                    try {
                        jdbi.useTransaction(h -> {
                            if (thread == THREADS - 1) {
                                closeStyle(h, issuer, tenants.get(n % tenants.size()));
                            } else {
                                cycleStyle(h, issuer, tenants, n, drafts);
                            }
                            if (rollBack) {
                                throw new Rollback();
                            }
                        });
                    } catch (Rollback expected) {
                        // its numbers were taken and are given back with the rollback
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();

        Map<String, Long> committedPerTenant = new HashMap<>();
        for (Tenant tenant : tenants) {
            List<String> numbers = jdbi.withHandle(h -> h.createQuery("SELECT number FROM billing.invoices"
                            + " WHERE organization_id = :org AND livemode = :livemode AND status <> 'draft'")
                    .bind("org", tenant.org())
                    .bind("livemode", tenant.livemode())
                    .mapTo(String.class)
                    .list());
            String numbered = tenant.prefix() + (tenant.livemode() ? "" : "-TEST") + "-2026-";
            assertThat(numbers).allSatisfy(number -> assertThat(number).startsWith(numbered));
            List<Long> sequence = numbers.stream()
                    .map(number -> Long.parseLong(number.substring(numbered.length())))
                    .sorted()
                    .toList();
            assertThat(sequence)
                    .as("%s: 1..N, no gap, no duplicate", numbered)
                    .isNotEmpty()
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, sequence.size()).boxed().toList());
            long counter = jdbi.withHandle(h -> h.createQuery("SELECT next_number FROM billing.invoice_counters"
                            + " WHERE organization_id = :org AND livemode = :livemode")
                    .bind("org", tenant.org())
                    .bind("livemode", tenant.livemode())
                    .mapTo(Long.class)
                    .one());
            assertThat(counter).as("%s counter", numbered).isEqualTo(sequence.size() + 1);
            committedPerTenant.put(numbered, (long) sequence.size());
        }
        assertThat(committedPerTenant.values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .as("some transactions were rolled back, the others all numbered")
                .isGreaterThan(0);
        List<String> draftNumbers = jdbi.withHandle(
                h -> h.createQuery("SELECT coalesce(number, 'none') FROM billing.invoices WHERE status = 'draft'")
                        .mapTo(String.class)
                        .list());
        assertThat(draftNumbers).hasSizeGreaterThan(0).containsOnly("none");
    }

    /**
     * As the billing cycle: the batch's organizations shared, drafts and lines written without numbers, then
     * numbered and finalized last; every fifth batch also leaves a draft un-finalized.
     */
    private static void cycleStyle(Handle h, InvoiceIssuer issuer, List<Tenant> tenants, int n, AtomicInteger drafts) {
        List<Tenant> batch = new ArrayList<>();
        for (int k = 0; k <= n % 3; k++) {
            batch.add(tenants.get((n + k * 3) % tenants.size()));
        }
        h.attach(SubscriptionInvoicingDao.class)
                .shareOrganizations(batch.stream().map(Tenant::org).distinct().toList());
        List<InvoiceIssuer.Issue> issues =
                batch.stream().map(InvoiceNumberingConcurrencyIT::issue).toList();
        issuer.draftAll(h, issues);
        if (n % 5 == 0) {
            issuer.draftAll(h, List.of(issue(batch.getFirst())));
            drafts.incrementAndGet();
        }
        issuer.finalizeAll(h, issues, FINALIZED);
    }

    /** As the period close: the organization's row and counter locked from the start, numbered drafts. */
    private static void closeStyle(Handle h, InvoiceIssuer issuer, Tenant tenant) {
        BillingPeriodDao periods = new BillingPeriodDao(h);
        InvoiceCounterDao.Counter counter =
                periods.lockOrganization(tenant.org(), tenant.livemode()).orElseThrow();
        long next = counter.nextNumber();
        for (int k = 0; k < 2; k++) {
            InvoiceIssuer.Issue issue = issue(tenant);
            InvoiceDraft d = issue.draft();
            InvoiceIssuer.Writing writing = issuer.open(
                    h,
                    new InvoiceDraft(
                            d.id(),
                            counter.number(FINALIZED, next++),
                            d.organizationId(),
                            d.livemode(),
                            d.customerId(),
                            d.customerExternalId(),
                            d.billingPeriodId(),
                            null,
                            d.currency(),
                            d.period()));
            issue.lines().forEach(writing::add);
            writing.finish(FINALIZED);
        }
        periods.setNextInvoiceNumber(tenant.org(), tenant.livemode(), next);
    }

    private static InvoiceIssuer.Issue issue(Tenant tenant) {
        String id = Ids.next("inv");
        InvoiceDraft draft = new InvoiceDraft(
                id,
                null,
                tenant.org(),
                tenant.livemode(),
                tenant.customer(),
                tenant.customer(),
                tenant.periodId(),
                null,
                "USD",
                PERIOD);
        InvoiceLine line = new InvoiceLine(
                Ids.next("il"),
                id,
                LineKind.USAGE,
                tenant.price(),
                "f",
                BigDecimal.ONE,
                BigDecimal.ONE,
                100,
                PERIOD,
                null);
        return InvoiceIssuer.Issue.of(draft, List.of(line));
    }
}
