package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A late-usage credit note is written in the period close's one transaction with its number, its event and the
 * ledger's billing marks (real PostgreSQL): a close that fails after issuing it leaves no note, no number taken, no
 * event and no mark, and the next close issues it once, numbered as if the failure never happened; closes of the same
 * period running at once issue it once. Customer c1 of org_1 (which credits late usage): {@code calls} at 0.05,
 * November's window restated from 100 to 60 calls.
 */
class LateUsageCreditCloseIT {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final Instant W1 = Instant.parse("2026-11-02T10:00:00Z");

    private CloseHarness harness;
    private BillingFixtures fixtures;

    @BeforeEach
    void setUp() {
        harness = new CloseHarness();
        fixtures = harness.fixtures;
        fixtures.catalog("org_1", "cus_1", "c1", "calls", "price_calls", new BigDecimal("0.05"));
        fixtures.subscribe("org_1", "cus_1", "price_calls");
        harness.jdbi.useHandle(
                h -> h.execute("UPDATE billing.organizations SET late_usage_credit_notes = true WHERE id = 'org_1'"));
        fixtures.statement("org_1", "c1", "calls", W1).quantity("100").insert();
        assertThat(harness.closeOne(NOV, DEC).totalMinor()).isEqualTo(500);
        fixtures.statement("org_1", "c1", "calls", W1)
                .revision(1)
                .quantity("60")
                .insert();
    }

    private long count(String sql) {
        return harness.jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private long creditNotes() {
        return count("SELECT count(*) FROM billing.credit_notes WHERE reason = 'usage_corrected'");
    }

    private long outbox() {
        return count("SELECT count(*) FROM billing.outbox");
    }

    @Test
    void shouldLeaveNoNoteNumberEventOrMarkWhenTheCloseFailsAndIssueItOnceWhenItIsClosedAgain() {
        long events = outbox();
        // the December invoice cannot be written: the close fails after the note was issued in its transaction
        harness.jdbi.useHandle(
                h -> h.execute("CREATE FUNCTION billing.refuse_december() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " RAISE EXCEPTION 'no December invoice today'; END $$;"
                        + " CREATE TRIGGER refuse_december BEFORE INSERT ON billing.invoices"
                        + " FOR EACH ROW WHEN (NEW.period_start = '" + DEC
                        + "') EXECUTE FUNCTION billing.refuse_december()"));
        assertThatThrownBy(() -> harness.closeOne(DEC, JAN)).hasMessageContaining("no December invoice today");
        assertThat(creditNotes()).isZero();
        assertThat(outbox()).isEqualTo(events);
        assertThat(count("SELECT next_number FROM billing.credit_note_counters WHERE organization_id = 'org_1'"
                        + " AND NOT livemode"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM billing.usage_ledger WHERE credit_note_id IS NOT NULL"))
                .isZero();
        assertThat(harness.unbilledAggregates()).hasSize(1);

        harness.jdbi.useHandle(h -> h.execute("DROP TRIGGER refuse_december ON billing.invoices"));
        Invoice december = harness.closeOne(DEC, JAN);
        assertThat(harness.closeOne(DEC, JAN).id()).isEqualTo(december.id());

        assertThat(creditNotes()).isOne();
        // December's FINALIZED and the note's CREDIT_NOTE_ISSUED (November, still open, is not paid by it)
        assertThat(outbox()).isEqualTo(events + 2);
        String number = harness.jdbi.withHandle(h -> h.createQuery("SELECT number FROM billing.credit_notes")
                .mapTo(String.class)
                .one());
        assertThat(number).endsWith("-000001");
        assertThat(count("SELECT count(*) FROM billing.usage_ledger WHERE credit_note_id IS NOT NULL"))
                .isOne();
        assertThat(harness.unbilledAggregates()).isEmpty();
        assertThat(harness.lines(december)).noneMatch(l -> l.kind() == LineKind.ADJUSTMENT);
    }

    @Test
    void shouldIssueTheNoteOnceWhenTheSamePeriodIsClosedAtOnce() throws Exception {
        int closes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(closes);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> invoices = new ArrayList<>();
        try {
            for (int i = 0; i < closes; i++) {
                invoices.add(pool.submit(() -> {
                    start.await();
                    return harness.closeOne(DEC, JAN).id();
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<String> invoice : invoices) {
                ids.add(invoice.get(60, TimeUnit.SECONDS));
            }
            assertThat(ids).containsOnly(ids.getFirst());
        } finally {
            pool.shutdownNow();
        }
        assertThat(creditNotes()).isOne();
        assertThat(count("SELECT count(*) FROM billing.usage_ledger WHERE credit_note_id IS NOT NULL"))
                .isOne();
    }
}
