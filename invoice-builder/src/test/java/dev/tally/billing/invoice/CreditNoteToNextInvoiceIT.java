package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.creditnote.CreditNote;
import dev.tally.billing.creditnote.CreditNoteOutcome;
import dev.tally.billing.creditnote.CreditNoteReason;
import dev.tally.billing.creditnote.CreditNoteRequest;
import dev.tally.billing.creditnote.CreditNoteWriter;
import dev.tally.billing.lineage.InvoiceVerifier;
import dev.tally.testkit.TestPostgres;
import io.micronaut.serde.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A credit note's {@code credit} outcome flows into the customer's next invoice, end to end through the period
 * close: of a paid November invoice (5.00 USD), 2.00 is credited to the balance and 1.00 refunded; December's
 * invoice takes a {@code credit_applied} line of exactly 2.00 (the refund is not balance), and January's none.
 */
class CreditNoteToNextInvoiceIT {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final String FEB = "2027-02-01T00:00:00Z";

    private CloseHarness harness;
    private BillingFixtures fixtures;
    private CreditNoteWriter writer;
    private InvoiceVerifier verifier;

    @BeforeEach
    void setUp() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        harness = new CloseHarness(dataSource);
        fixtures = harness.fixtures;
        BillingDatabase database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        writer = new CreditNoteWriter(database.outbox(), harness.topics);
        verifier = new InvoiceVerifier(database, new StoredPriceDefinitions(ObjectMapper.getDefault()));
        fixtures.catalog("org_1", "cus_1", "c1", "calls", "price_calls", new BigDecimal("0.05"));
        fixtures.subscribe("org_1", "cus_1", "price_calls");
    }

    private void calls(Instant window, String quantity) {
        fixtures.statement("org_1", "c1", "calls", window).quantity(quantity).insert();
    }

    private CreditNote credit(String invoice, CreditNoteOutcome outcome, String amount) {
        return harness.jdbi.inTransaction(h -> writer.issue(
                h,
                "org_1",
                false,
                invoice,
                new CreditNoteRequest(CreditNoteReason.PRODUCT_UNSATISFACTORY, outcome, null, amount, List.of()),
                Instant.parse("2026-12-02T00:00:00Z")));
    }

    @Test
    void shouldApplyWhatACreditNoteCreditedToTheBalanceOnTheNextInvoiceOfTheCustomer() {
        calls(Instant.parse("2026-11-02T10:00:00Z"), "100");
        Invoice november = harness.closeOne(NOV, DEC);
        assertThat(november.totalMinor()).isEqualTo(500);
        harness.jdbi.useHandle(h -> new InvoiceDao(h).markPaid(november.id(), Instant.parse("2026-12-01T12:00:00Z")));

        CreditNote toBalance = credit(november.id(), CreditNoteOutcome.CREDIT, "2.00");
        CreditNote refund = credit(november.id(), CreditNoteOutcome.REFUND, "1.00");
        assertThat(toBalance.postPaymentMinor()).isEqualTo(200);
        assertThat(refund.refundMinor()).isEqualTo(100);
        long balance = harness.jdbi.withHandle(h -> new BilledUsageDao(h).creditBalance("cus_1", "USD"));
        assertThat(balance).isEqualTo(200);

        calls(Instant.parse("2026-12-05T00:00:00Z"), "100");
        Invoice december = harness.closeOne(DEC, JAN);

        assertThat(harness.lines(december))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                .containsExactly(tuple(LineKind.USAGE, 500L), tuple(LineKind.CREDIT_APPLIED, -200L));
        assertThat(december.totalMinor()).isEqualTo(300);
        // replayed from its inputs, the credit note's balance included, December is what was billed
        assertThat(verifier.verify("org_1", false, december.id()).differences()).isEmpty();

        calls(Instant.parse("2027-01-05T00:00:00Z"), "100");
        Invoice january = harness.closeOne(JAN, FEB);
        assertThat(harness.lines(january)).noneMatch(l -> l.kind() == LineKind.CREDIT_APPLIED);
        assertThat(january.totalMinor()).isEqualTo(500);
    }
}
