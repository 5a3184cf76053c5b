package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole-window restatements (revision + 1) and retractions, closed month by month for customer c1
 * of org_1: {@code calls} (SUM, 0.05 USD) and {@code peak} (MAX, 2 USD); {@code seats}
 * (UNIQUE_COUNT) below.
 *
 * <pre>
 *            Nov                      Dec                      Jan                     Feb
 *  calls   w1=3 w2=2  │ w1 r1=4 (+1)  dec=10  │ w1 r2=1 (-3)           │
 *  peak    a=7  b=9   │ a r1=8 (max still 9)  │ b r1=12 (+3)           │
 * </pre>
 */
class RestatementCloseIT {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final String FEB = "2027-02-01T00:00:00Z";
    private static final String MAR = "2027-03-01T00:00:00Z";
    private static final Instant W1 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant W2 = Instant.parse("2026-11-03T10:00:00Z");

    private CloseHarness harness;
    private BillingFixtures fixtures;

    @BeforeEach
    void setUp() {
        harness = new CloseHarness();
        fixtures = harness.fixtures;
        fixtures.catalog("org_1", "cus_1", "c1", "calls", "price_calls", new BigDecimal("0.05"));
        fixtures.catalog("org_1", "cus_1", "c1", "peak", "price_peak", new BigDecimal("2"));
        fixtures.subscribe("org_1", "cus_1", "price_calls");
        fixtures.subscribe("org_1", "cus_1", "price_peak");
    }

    private void calls(Instant window, long revision, String quantity) {
        fixtures.statement("org_1", "c1", "calls", window)
                .revision(revision)
                .quantity(quantity)
                .insert();
    }

    private void peak(Instant window, long revision, String quantity) {
        fixtures.statement("org_1", "c1", "peak", window)
                .aggregation("max")
                .revision(revision)
                .quantity(quantity)
                .insert();
    }

    @Test
    void shouldCountOnlyTheHighestRevisionOfAWindowRestatedBeforeItsPeriodCloses() {
        calls(W1, 0, "3");
        calls(W1, 2, "6");
        calls(W1, 1, "5");
        calls(W2, 0, "2");

        Invoice november = harness.closeOne(NOV, DEC);

        // w1 counts once, at revision 2: 6 + 2 = 8 → 40¢ (not 3 + 5 + 6 + 2)
        assertThat(usage(november, "calls")).isEqualByComparingTo("8");
        assertThat(november.totalMinor()).isEqualTo(40);
        assertThat(harness.lines(november)).noneMatch(l -> l.kind() == LineKind.ADJUSTMENT);
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    @Test
    void shouldBillARestatedSumWindowOfAnInvoicedPeriodAsTheDifferenceOnTheNextInvoice() {
        calls(W1, 0, "3");
        calls(W2, 0, "2");
        assertThat(harness.closeOne(NOV, DEC).totalMinor()).isEqualTo(25);
        calls(W1, 1, "4");
        calls(Instant.parse("2026-12-05T00:00:00Z"), 0, "10");

        Invoice december = harness.closeOne(DEC, JAN);

        // December's 10 (50¢) and November restated from 5 to 6: +1 (5¢), on a line naming November
        assertThat(harness.lines(december))
                .filteredOn(l -> "calls".equals(l.featureKey()))
                .extracting(
                        InvoiceLine::kind,
                        InvoiceLine::usagePeriod,
                        l -> l.quantity().stripTrailingZeros(),
                        l -> l.previousQuantity() == null
                                ? null
                                : l.previousQuantity().stripTrailingZeros(),
                        InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, period(DEC, JAN), new BigDecimal("1E+1"), null, 50L),
                        tuple(LineKind.ADJUSTMENT, period(NOV, DEC), BigDecimal.ONE, new BigDecimal("5"), 5L));
        assertThat(december.totalMinor()).isEqualTo(55);
        assertThat(harness.unbilledAggregates()).isEmpty();

        calls(W1, 2, "1");
        Invoice january = harness.closeOne(JAN, FEB);

        // the previous restatement was billed once: November now stands at 1 + 2 = 3, billed 6 → -3
        assertThat(adjustment(january, "calls").quantity()).isEqualByComparingTo("-3");
        assertThat(adjustment(january, "calls").previousQuantity()).isEqualByComparingTo("6");
        assertThat(adjustment(january, "calls").amountMinor()).isEqualTo(-15);
    }

    @Test
    void shouldBillARestatedMaxWindowAsTheChangeItMakesToThePeriodMaximum() {
        Instant a = Instant.parse("2026-11-10T00:00:00Z");
        Instant b = Instant.parse("2026-11-20T00:00:00Z");
        peak(a, 0, "7");
        peak(b, 0, "9");
        Invoice november = harness.closeOne(NOV, DEC);
        assertThat(usage(november, "peak")).isEqualByComparingTo("9");
        assertThat(november.totalMinor()).isEqualTo(1800);

        peak(a, 1, "8");
        Invoice december = harness.closeOne(DEC, JAN);
        // November's maximum is still 9: the restatement is recorded on a zero line, billed nothing
        assertThat(adjustment(december, "peak").quantity()).isEqualByComparingTo("0");
        assertThat(december.totalMinor()).isZero();

        peak(b, 1, "12");
        Invoice january = harness.closeOne(JAN, FEB);
        assertThat(adjustment(january, "peak").quantity()).isEqualByComparingTo("3");
        assertThat(adjustment(january, "peak").previousQuantity()).isEqualByComparingTo("9");
        assertThat(january.totalMinor()).isEqualTo(600);
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    /**
     * {@code seats} (UNIQUE_COUNT, 1 USD a seat): November's windows restated after it was invoiced;
     * the period's union is counted again from the windows' stored values. Each restatement carries
     * only what it changes.
     *
     * <pre>
     *  Nov  w1 {a,b}  w2 {b,c}  → 3   │ w1 r1 +d → {a,b,d}  w2 r1 -b → {c}  → Nov {a,b,c,d}: +1   │ w1 r2 -b -d → {a}
     *                                 │ Dec window {a} → 1                                        │  → Nov {a,c}: -2
     * </pre>
     */
    @Test
    void shouldBillARestatedUniqueCountWindowOfAnInvoicedPeriodAsTheChangeToThePeriodsUnion() {
        fixtures.catalog("org_1", "cus_1", "c1", "seats", "price_seats", BigDecimal.ONE);
        fixtures.subscribe("org_1", "cus_1", "price_seats");
        seats(W1, 0).distinct("a", "b").insert();
        seats(W2, 0).distinct("b", "c").insert();
        Invoice november = harness.closeOne(NOV, DEC);
        assertThat(usage(november, "seats")).isEqualByComparingTo("3");
        assertThat(november.totalMinor()).isEqualTo(300);

        // a late event adds d to w1; a retraction takes b out of w2 (b is still in w1)
        seats(W1, 1).added("d").insert();
        seats(W2, 1).removed("b").insert();
        seats(Instant.parse("2026-12-05T00:00:00Z"), 0).distinct("a").insert();
        Invoice december = harness.closeOne(DEC, JAN);

        assertThat(usage(december, "seats")).isEqualByComparingTo("1");
        assertThat(adjustment(december, "seats").quantity()).isEqualByComparingTo("1");
        assertThat(adjustment(december, "seats").previousQuantity()).isEqualByComparingTo("3");
        assertThat(december.totalMinor()).isEqualTo(200);

        seats(W1, 2).removed("b", "d").insert();
        Invoice january = harness.closeOne(JAN, FEB);

        // November now {a} ∪ {c}: 2 seats, billed 4
        assertThat(adjustment(january, "seats").quantity()).isEqualByComparingTo("-2");
        assertThat(adjustment(january, "seats").previousQuantity()).isEqualByComparingTo("4");
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    private BillingFixtures.Statement seats(Instant window, long revision) {
        return fixtures.statement("org_1", "c1", "seats", window)
                .aggregation("unique_count")
                .revision(revision);
    }

    @Test
    void shouldCarryANetCreditForwardWhenARetractionMakesTheTotalNegativeAndApplyItLater() {
        calls(W1, 0, "100");
        assertThat(harness.closeOne(NOV, DEC).totalMinor()).isEqualTo(500);
        // every event of w1 retracted: the window is restated empty
        fixtures.statement("org_1", "c1", "calls", W1)
                .revision(1)
                .quantity("0")
                .events(0)
                .insert();
        calls(Instant.parse("2026-12-05T00:00:00Z"), 0, "10");

        Invoice december = harness.closeOne(DEC, JAN);

        // usage 50¢, November -100 → -500¢: -450¢ carried forward, the total stays at zero
        assertThat(harness.lines(december))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, 50L),
                        tuple(LineKind.USAGE, 0L),
                        tuple(LineKind.ADJUSTMENT, -500L),
                        tuple(LineKind.CREDIT_CARRIED_FORWARD, 450L));
        assertThat(december.totalMinor()).isZero();

        calls(Instant.parse("2027-01-05T00:00:00Z"), 0, "200");
        Invoice january = harness.closeOne(JAN, FEB);
        // 1000¢ of usage, minus the 450¢ credit
        assertThat(harness.lines(january))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, 1000L), tuple(LineKind.USAGE, 0L), tuple(LineKind.CREDIT_APPLIED, -450L));
        assertThat(january.totalMinor()).isEqualTo(550);

        calls(Instant.parse("2027-02-05T00:00:00Z"), 0, "20");
        Invoice february = harness.closeOne(FEB, MAR);
        // the credit is used up: nothing more is taken off
        assertThat(harness.lines(february)).noneMatch(l -> l.kind() == LineKind.CREDIT_APPLIED);
        assertThat(february.totalMinor()).isEqualTo(100);
    }

    @Test
    void shouldApplyOnlyAsMuchCreditAsTheInvoiceTotal() {
        calls(W1, 0, "100");
        harness.closeOne(NOV, DEC);
        calls(W1, 1, "0");
        assertThat(harness.closeOne(DEC, JAN).totalMinor()).isZero();

        calls(Instant.parse("2027-01-05T00:00:00Z"), 0, "40");
        Invoice january = harness.closeOne(JAN, FEB);

        // 200¢ of usage against 500¢ of credit: 200¢ applied, 300¢ left for later
        assertThat(january.totalMinor()).isZero();
        assertThat(harness.lines(january))
                .filteredOn(l -> l.kind() == LineKind.CREDIT_APPLIED)
                .singleElement()
                .satisfies(l -> assertThat(l.amountMinor()).isEqualTo(-200));
    }

    @Test
    void shouldIgnoreAnOlderRevisionArrivingAfterANewerOneWasBilled() {
        // revisions travel on two topics, so revision 1 may be recorded before revision 0
        calls(W1, 1, "5");
        assertThat(harness.closeOne(NOV, DEC).totalMinor()).isEqualTo(25);
        calls(W1, 0, "3");

        Invoice december = harness.closeOne(DEC, JAN);

        assertThat(adjustment(december, "calls").quantity()).isEqualByComparingTo("0");
        assertThat(december.totalMinor()).isZero();
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    @Test
    void shouldBillAWindowFirstReportedAfterItsPeriodClosedAsAnAdjustmentOfThatPeriod() {
        calls(W1, 0, "3");
        harness.closeOne(NOV, DEC);
        // a late event opened a window that never had usage: revision 0 on usage-corrections
        calls(W2, 0, "2");

        Invoice december = harness.closeOne(DEC, JAN);

        assertThat(adjustment(december, "calls").usagePeriod()).isEqualTo(period(NOV, DEC));
        assertThat(adjustment(december, "calls").quantity()).isEqualByComparingTo("2");
        assertThat(december.totalMinor()).isEqualTo(10);
    }

    private BigDecimal usage(Invoice invoice, String feature) {
        return line(invoice, feature, LineKind.USAGE).quantity();
    }

    private InvoiceLine adjustment(Invoice invoice, String feature) {
        return line(invoice, feature, LineKind.ADJUSTMENT);
    }

    private InvoiceLine line(Invoice invoice, String feature, LineKind kind) {
        List<InvoiceLine> lines = harness.lines(invoice).stream()
                .filter(l -> l.kind() == kind && feature.equals(l.featureKey()))
                .toList();
        assertThat(lines).as("%s lines of %s", kind, feature).hasSize(1);
        return lines.getFirst();
    }

    private static UsagePeriod period(String start, String end) {
        return new UsagePeriod(Instant.parse(start), Instant.parse(end));
    }
}
