package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingException;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing November for org_1 (test mode):
 *
 * <pre>
 *            Oct 31 23:00   Nov 1                                   Dec 1    Dec 1 01:00
 *  c1 ai_call     2 (late)  |  3 (Nov 2)   5.5 (Nov 30 23:00)       |        100  (next period)
 *  c1 storage               |  0.5 (Nov 3)                          |
 *  c2 ai_call               |  7 (no subscription: stays un-billed) |
 *                           [start ─────────────────────────────── end)
 *  → one invoice for c1: ai_call 10.5 × 0.05 = 52.5¢ → 52¢ (HALF_EVEN); storage 0.5 × 0.125 = 6.25¢ → 6¢
 * </pre>
 */
class PeriodCloseIT {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

    private CloseHarness harness;
    private BillingFixtures fixtures;
    private PeriodClose periodClose;

    @BeforeEach
    void setUp() {
        harness = new CloseHarness();
        fixtures = harness.fixtures;
        periodClose = harness.periodClose;

        fixtures.catalog("org_1", "cus_1", "c1", "ai_call", "price_calls", new BigDecimal("0.05"));
        fixtures.catalog("org_1", "cus_1", "c1", "storage", "price_storage", new BigDecimal("0.125"));
        fixtures.catalog("org_1", "cus_2", "c2", "other", "price_other", new BigDecimal("1"));
        fixtures.subscribe("org_1", "cus_1", "price_calls");
        fixtures.subscribe("org_1", "cus_1", "price_storage");
        fixtures.ledgerRow("late", "org_1", "c1", "ai_call", Instant.parse("2026-10-31T23:00:00Z"), "2");
        fixtures.ledgerRow("nov2", "org_1", "c1", "ai_call", Instant.parse("2026-11-02T00:00:00Z"), "3");
        fixtures.ledgerRow("nov30", "org_1", "c1", "ai_call", Instant.parse("2026-11-30T23:00:00Z"), "5.5");
        fixtures.ledgerRow("storage", "org_1", "c1", "storage", Instant.parse("2026-11-03T00:00:00Z"), "0.5");
        fixtures.ledgerRow("dec", "org_1", "c1", "ai_call", Instant.parse("2026-12-01T01:00:00Z"), "100");
        fixtures.ledgerRow("c2", "org_1", "c2", "ai_call", Instant.parse("2026-11-05T00:00:00Z"), "7");
    }

    @Test
    void shouldBillEveryUnbilledRowBeforeTheEndIntoOneFinalizedInvoicePerSubscribedCustomer() {
        PeriodClose.Result result = periodClose.close("org_1", false, NOV, DEC);

        assertThat(result.created()).isTrue();
        assertThat(result.invoices()).singleElement().satisfies(invoice -> {
            assertThat(invoice.customerExternalId()).isEqualTo("c1");
            assertThat(invoice.status()).isEqualTo("finalized");
            assertThat(invoice.number()).isEqualTo(InvoiceFixtures.testModeNumber("ACME", invoice.finalizedAt(), 1));
            assertThat(invoice.totalMinor()).isEqualTo(52 + 6);
        });
        List<InvoiceLine> lines = harness.lines(result.invoices().getFirst());
        assertThat(lines).extracting(InvoiceLine::featureKey).containsExactly("ai_call", "storage");
        assertThat(lines.get(0).quantity()).isEqualByComparingTo("10.5");
        assertThat(lines.get(0).amountMinor()).isEqualTo(52);
        assertThat(lines.get(1).amountMinor()).isEqualTo(6);
        assertThat(lines.stream().mapToLong(InvoiceLine::amountMinor).sum())
                .isEqualTo(result.invoices().getFirst().totalMinor());
        assertThat(harness.unbilledAggregates()).containsExactlyInAnyOrder("dec", "c2");
    }

    @Test
    void shouldBillAPeriodWhoseBoundsHaveNanosecondsAsUsageOfThatPeriod() {
        Instant end = DEC.plusNanos(123_456_789);

        PeriodClose.Result result = periodClose.close("org_1", false, NOV, end);

        List<InvoiceLine> lines = harness.lines(result.invoices().getFirst());
        assertThat(lines).extracting(InvoiceLine::kind).containsOnly(LineKind.USAGE);
        assertThat(lines.get(0).quantity()).isEqualByComparingTo("10.5");
        assertThat(periodClose.close("org_1", false, NOV, end).created())
                .as("the same bounds again are the same period")
                .isFalse();
    }

    @Test
    void shouldEnqueueOneFinalizedEventPerInvoiceInTheSameTransaction() {
        PeriodClose.Result result = periodClose.close("org_1", false, NOV, DEC);

        List<byte[]> payloads = harness.jdbi.withHandle(h -> h.createQuery("SELECT payload FROM billing.outbox")
                .mapTo(byte[].class)
                .list());
        assertThat(payloads).hasSize(1);
        InvoiceEvent event = harness.topics
                .invoiceEvents()
                .valueSerde()
                .deserializer()
                .deserialize(harness.topics.invoiceEvents().name(), payloads.getFirst());
        assertThat(event.getType()).isEqualTo(InvoiceEventType.FINALIZED);
        assertThat(event.getInvoiceId()).isEqualTo(result.invoices().getFirst().id());
        assertThat(event.getTotalMinor()).isEqualTo(58);
        Invoice invoice = result.invoices().getFirst();
        assertThat(event.getDueAt())
                .as("the due date the database set (the organization's net_30), in the event's milliseconds")
                .isEqualTo(invoice.finalizedAt().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS))
                .isEqualTo(invoice.dueAt().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void shouldCreateNothingNewWhenTheSamePeriodIsClosedTwice() {
        PeriodClose.Result first = periodClose.close("org_1", false, NOV, DEC);
        fixtures.ledgerRow("later-late", "org_1", "c1", "ai_call", Instant.parse("2026-11-15T00:00:00Z"), "1");

        PeriodClose.Result second = periodClose.close("org_1", false, NOV, DEC);

        assertThat(second.created()).isFalse();
        assertThat(second.invoices())
                .extracting(Invoice::id)
                .containsExactlyElementsOf(
                        first.invoices().stream().map(Invoice::id).toList());
        assertThat(count("billing.invoices")).isEqualTo(1);
        assertThat(count("billing.outbox")).isEqualTo(1);
        assertThat(harness.unbilledAggregates()).contains("later-late");
    }

    @Test
    void shouldRefuseAPeriodOverlappingAClosedOne() {
        periodClose.close("org_1", false, NOV, DEC);

        assertThatThrownBy(() -> periodClose.close("org_1", false, NOV.plus(Duration.ofDays(10)), DEC.plusSeconds(1)))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERIOD_OVERLAPS));
    }

    @Test
    void shouldBillLateRowsOfAClosedPeriodOnTheNextInvoice() {
        periodClose.close("org_1", false, NOV, DEC);
        fixtures.ledgerRow("late-nov", "org_1", "c1", "ai_call", Instant.parse("2026-11-20T00:00:00Z"), "4");

        PeriodClose.Result december = periodClose.close("org_1", false, DEC, Instant.parse("2027-01-01T00:00:00Z"));

        // December's own usage (100 × 0.05 = 500¢) and, on its own line, November's late 4 (20¢)
        assertThat(december.invoices()).singleElement().satisfies(invoice -> {
            assertThat(invoice.number()).isEqualTo(InvoiceFixtures.testModeNumber("ACME", invoice.finalizedAt(), 2));
            assertThat(invoice.totalMinor()).isEqualTo(500 + 20);
        });
        List<InvoiceLine> lines = harness.lines(december.invoices().getFirst());
        assertThat(lines)
                .filteredOn(l -> "ai_call".equals(l.featureKey()))
                .extracting(InvoiceLine::kind, l -> l.quantity().stripTrailingZeros(), InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, new BigDecimal("1E+2"), 500L),
                        tuple(LineKind.ADJUSTMENT, new BigDecimal("4"), 20L));
        InvoiceLine adjustment = lines.stream()
                .filter(l -> l.kind() == LineKind.ADJUSTMENT)
                .findFirst()
                .orElseThrow();
        assertThat(adjustment.usagePeriod()).isEqualTo(new UsagePeriod(NOV, DEC));
        assertThat(adjustment.previousQuantity()).isEqualByComparingTo("10.5");
        assertThat(harness.unbilledAggregates()).containsExactly("c2");
    }

    private long count(String table) {
        return harness.jdbi.withHandle(h ->
                h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }
}
