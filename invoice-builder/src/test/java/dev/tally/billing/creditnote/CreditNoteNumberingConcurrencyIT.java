package dev.tally.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.invoice.BillingPeriodDao;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceDraft;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * Gapless credit note numbers under concurrency, on the real database: 6 threads issue 40 credit notes each
 * ({@link CreditNoteWriter}, as the API does) over 2 organizations x 2 modes and few invoices, so that they race
 * for the same counters and the same invoices. Every fifth transaction is rolled back AFTER its number was taken.
 * Per organization and mode the numbers are exactly 1..N without gap or duplicate, the counter stands at N + 1,
 * and no invoice is credited above its total although more was asked than its total.
 */
class CreditNoteNumberingConcurrencyIT {

    private static final int THREADS = 6;
    private static final int TRANSACTIONS = 40;
    private static final Instant ISSUED = Instant.parse("2026-06-15T12:00:00Z");
    private static final UsagePeriod PERIOD =
            new UsagePeriod(Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
    /** Each invoice is of 10.00; each credit note of 1.00; a tenant's 2 invoices take 20 of them at most. */
    private static final long TOTAL = 1000;

    private record Tenant(String org, String prefix, boolean livemode, List<String> invoices) {}

    private static final class Rollback extends RuntimeException {
        Rollback() {
            super("rolled back after numbering", null, false, false);
        }
    }

    @Test
    void shouldNumberCreditNotesOfEveryOrganizationAndModeFromOneWithoutGapOrDuplicate() throws Exception {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA);
        BillingDatabase database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        Jdbi jdbi = database.jdbi();
        CreditNoteWriter writer = new CreditNoteWriter(
                database.outbox(),
                Topics.create(
                        "credit-numbering-" + UUID.randomUUID() + ".",
                        SchemaRegistryServer.shared().client()));
        List<Tenant> tenants = new ArrayList<>();
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme'), ('org_b', 'Beta Labs')");
            for (String org : List.of("org_a", "org_b")) {
                for (boolean livemode : List.of(false, true)) {
                    long period = new BillingPeriodDao(h).insertPeriod(org, livemode, PERIOD.start(), PERIOD.end());
                    String customer = "cus_" + org + "_" + livemode;
                    String price = "price_" + org + "_" + livemode;
                    h.execute(
                            "INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES (?, ?, ?, ?)",
                            customer,
                            org,
                            livemode,
                            customer);
                    h.execute(
                            "INSERT INTO billing.products (id, organization_id, livemode, feature_key) VALUES (?, ?, ?, 'f')",
                            "prod_" + price,
                            org,
                            livemode);
                    h.execute(
                            "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                                    + " model, definition) VALUES (?, ?, ?, ?, 'USD', 1, 'per_unit', '{}')",
                            price,
                            org,
                            livemode,
                            "prod_" + price);
                    List<String> ids = new ArrayList<>();
                    InvoiceDao invoices = new InvoiceDao(h);
                    for (int i = 0; i < 2; i++) {
                        String id = "inv_" + org + "_" + livemode + "_" + i;
                        invoices.insertDraft(new InvoiceDraft(
                                id, "INV-" + id, org, livemode, customer, customer, period, null, "USD", PERIOD));
                        invoices.insertLine(
                                new InvoiceLine(
                                        id + "_l1",
                                        id,
                                        LineKind.USAGE,
                                        price,
                                        "f",
                                        BigDecimal.TEN,
                                        BigDecimal.ONE,
                                        TOTAL,
                                        PERIOD,
                                        null),
                                1);
                        invoices.finalizeDraft(id, TOTAL, ISSUED);
                        ids.add(id);
                    }
                    tenants.add(new Tenant(org, org.equals("org_a") ? "ACME" : "BETALABS", livemode, ids));
                }
            }
        });

        CreditNoteRequest oneDollar =
                new CreditNoteRequest(CreditNoteReason.ORDER_CHANGE, CreditNoteOutcome.CREDIT, null, "1.00", List.of());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    int n = thread * TRANSACTIONS + i;
                    Tenant tenant = tenants.get(n % tenants.size());
                    String invoice = tenant.invoices().get((n / tenants.size()) % 2);
                    try {
                        jdbi.useTransaction(h -> {
                            writer.issue(h, tenant.org(), tenant.livemode(), invoice, oneDollar, ISSUED);
                            if (n % 5 == 4) {
                                throw new Rollback();
                            }
                        });
                    } catch (Rollback expected) {
                        // its number was taken and is given back with the rollback
                    } catch (dev.tally.billing.BillingException fullyCredited) {
                        // 60 asked per tenant, 20 fit: the rest finds the invoice credited in full
                        assertThat(fullyCredited.code())
                                .isIn(
                                        dev.tally.billing.ErrorCode.INVOICE_FULLY_CREDITED,
                                        dev.tally.billing.ErrorCode.INVALID_REQUEST);
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

        for (Tenant tenant : tenants) {
            String numbered = tenant.prefix() + (tenant.livemode() ? "" : "-TEST") + "-CN-2026-";
            List<String> numbers = jdbi.withHandle(h -> h.createQuery("SELECT number FROM billing.credit_notes"
                            + " WHERE organization_id = :org AND livemode = :livemode")
                    .bind("org", tenant.org())
                    .bind("livemode", tenant.livemode())
                    .mapTo(String.class)
                    .list());
            assertThat(numbers).allSatisfy(number -> assertThat(number).startsWith(numbered));
            List<Long> sequence = numbers.stream()
                    .map(number -> Long.parseLong(number.substring(numbered.length())))
                    .sorted()
                    .toList();
            assertThat(sequence)
                    .as("%s: 1..N, no gap, no duplicate", numbered)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 20).boxed().toList());
            long counter = jdbi.withHandle(h -> h.createQuery("SELECT next_number FROM billing.credit_note_counters"
                            + " WHERE organization_id = :org AND livemode = :livemode")
                    .bind("org", tenant.org())
                    .bind("livemode", tenant.livemode())
                    .mapTo(Long.class)
                    .one());
            assertThat(counter).as("%s counter", numbered).isEqualTo(21);
            for (String invoice : tenant.invoices()) {
                long credited = jdbi.withHandle(h -> new InvoiceDao(h).creditedMinor(invoice));
                assertThat(credited).as("%s credited", invoice).isEqualTo(TOTAL);
            }
        }
    }
}
