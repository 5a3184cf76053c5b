package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.billing.planning.Usage;
import dev.tally.billing.rating.BillingTiming;
import dev.tally.billing.rating.Interval;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.PriceRater;
import dev.tally.billing.rating.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The close's rating of one customer, closing December with November already invoiced:
 *
 * <pre>
 *  [Nov ──────────── Dec)  invoiced: "billed" (price, quantity, amount)   [Dec ──────────── Jan)  ← closed now
 *   restated: usage now ──────── adjustment of Nov on December's invoice    usage ── usage line
 * </pre>
 */
class CloseRatingTest {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final UsagePeriod DEC =
            new UsagePeriod(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));

    /** 0–1000 at 0.10 + 5 flat, 1000–5000 at 0.08 + 10 flat, above 5000 at 0.05 (upTo inclusive). */
    private static final List<Tier> TIERS = List.of(
            new Tier(dec("1000"), dec("0.10"), dec("5")),
            new Tier(dec("5000"), dec("0.08"), dec("10")),
            new Tier(null, dec("0.05"), null));

    private static final PriceDefinition PER_UNIT = usage("USD", new PriceModel.PerUnit(dec("0.10")));
    private static final PriceDefinition GRADUATED = usage("USD", new PriceModel.Graduated(TIERS));
    private static final PriceDefinition VOLUME = usage("USD", new PriceModel.Volume(TIERS));
    private static final PriceDefinition PACKAGE = usage("USD", new PriceModel.PerPackage(dec("1000"), dec("5")));
    private static final PriceDefinition CARD_FEE = usage("USD", new PriceModel.Percentage(dec("2.9"), dec("0.30")));

    static Stream<Arguments> closedPeriods() {
        return Stream.of(
                // description, price, quantity, events, the usage line's minor units
                arguments("zero usage bills nothing", PER_UNIT, "0", 0, 0L),
                arguments("per_unit: 1234.5 × 0.10", PER_UNIT, "1234.5", 3, 12345L),
                arguments("per_unit: 0.125 USD rounds half even once", usage("USD", unit("1")), "0.125", 1, 12L),
                // 1000 × 0.10 + 5 + 500 × 0.08 + 10 = 155.00
                arguments("graduated: across a tier edge", GRADUATED, "1500", 15, 15500L),
                arguments("graduated: exactly at the edge stays in the tier", GRADUATED, "1000", 10, 10500L),
                // zero usage is in the first tier: its flat fee
                arguments("graduated: zero usage", GRADUATED, "0", 0, 500L),
                // all 1500 at 0.08 + 10 = 130.00
                arguments("volume: the tier the total lands in", VOLUME, "1500", 15, 13000L),
                arguments("free units larger than usage", terms(PER_UNIT, "500", null, null), "300", 3, 0L),
                arguments("free units, then tiers", terms(GRADUATED, "500", null, null), "1500", 15, 10500L),
                arguments("minimum raises the period", terms(PER_UNIT, null, "25", null), "100", 1, 2500L),
                arguments("minimum at zero usage", terms(PER_UNIT, null, "25", null), "0", 0, 2500L),
                arguments("maximum caps the period", terms(PER_UNIT, null, null, "50"), "1000", 1, 5000L),
                arguments("package: a started package is whole", PACKAGE, "1001", 2, 1000L),
                arguments("package: zero usage is no package", PACKAGE, "0", 0, 0L),
                // 2.9% of 1000 + 10 × 0.30 = 32.00
                arguments("percentage with a fee per event", CARD_FEE, "1000", 10, 3200L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closedPeriods")
    void shouldRateTheClosedPeriodsUsageAsOnePeriodOfItsPriceAsAQuoteDoes(
            String description, PriceDefinition definition, String quantity, long events, long expectedMinor) {
        CloseRating.Price price = new CloseRating.Price("price_calls", "calls", definition);
        Usage usage = new Usage(dec(quantity), events);

        List<CloseRating.RatedLine> lines = only(CloseRating.rate(
                customer(List.of(price), Map.of(group("calls", DEC), usage), Map.of(), Map.of()), Map.of()));

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(LineKind.USAGE);
            assertThat(line.usagePeriod()).isEqualTo(DEC);
            assertThat(line.quantity()).isEqualByComparingTo(quantity);
            assertThat(line.eventCount()).isEqualTo(events);
            assertThat(line.previousQuantity()).isNull();
            assertThat(line.amountMinor())
                    .isEqualTo(expectedMinor)
                    .isEqualTo(
                            PriceRater.rate(definition, dec(quantity), events).amountMinor());
        });
    }

    static Stream<Arguments> restatements() {
        return Stream.of(
                // description, price, billed quantity, billed minor, quantity now, events now,
                // the adjustment's quantity and minor units
                // 900 → 95.00; 1100 → 5 + 100 + 10 + 8 = 123.00: the tier's flat fee and rate come in
                arguments(
                        "graduated: a restatement crossing a tier edge",
                        GRADUATED,
                        "900",
                        9500L,
                        "1100",
                        11,
                        "200",
                        2800L),
                arguments("graduated: taken back below the edge", GRADUATED, "1100", 12300L, "900", 9, "-200", -2800L),
                // 300 of 500 free billed nothing; 600 bills the 100 above them
                arguments(
                        "free units larger than the billed usage",
                        terms(PER_UNIT, "500", null, null),
                        "300",
                        0L,
                        "600",
                        6,
                        "300",
                        1000L),
                arguments(
                        "still within the free units",
                        terms(PER_UNIT, "500", null, null),
                        "300",
                        0L,
                        "450",
                        4,
                        "150",
                        0L),
                // billed at the 25.00 minimum: 200 × 0.10 = 20.00 is still below it
                arguments(
                        "minimum: more usage, still the minimum",
                        terms(PER_UNIT, null, "25", null),
                        "100",
                        2500L,
                        "200",
                        2,
                        "100",
                        0L),
                arguments("minimum: past it", terms(PER_UNIT, null, "25", null), "100", 2500L, "300", 3, "200", 500L),
                arguments(
                        "maximum: reached by the restatement",
                        terms(PER_UNIT, null, null, "50"),
                        "400",
                        4000L,
                        "1000",
                        10,
                        "600",
                        1000L),
                arguments("package: within the started package", PACKAGE, "1001", 1000L, "1999", 19, "998", 0L),
                arguments("package: one more started", PACKAGE, "1999", 1000L, "2001", 20, "2", 500L),
                // the same amount, two more events: 2 × 0.30
                arguments("percentage: events restated", CARD_FEE, "1000", 3200L, "1000", 12, "0", 60L),
                arguments("retracted to zero usage", PER_UNIT, "100", 1000L, "0", 0, "-100", -1000L),
                arguments(
                        "retracted to zero usage, at the minimum",
                        terms(PER_UNIT, null, "25", null),
                        "100",
                        2500L,
                        "0",
                        0,
                        "-100",
                        0L),
                // a window first reported after its period was invoiced without it
                arguments("never billed before", GRADUATED, null, 0L, "1500", 15, "1500", 15500L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restatements")
    void shouldAdjustARestatedPeriodByItsRatingNowLessTheAmountBilled(
            String description,
            PriceDefinition definition,
            String billedQuantity,
            long billedMinor,
            String quantityNow,
            long eventsNow,
            String expectedQuantity,
            long expectedMinor) {
        CloseRating.Price price = new CloseRating.Price("price_calls", "calls", definition);
        Map<CloseRating.Group, CloseRating.Billed> billed = billedQuantity == null
                ? Map.of()
                : Map.of(group("calls", NOV), new CloseRating.Billed("price_calls", dec(billedQuantity), billedMinor));

        List<CloseRating.RatedLine> lines = only(CloseRating.rate(
                customer(
                        List.of(price),
                        Map.of(group("calls", NOV), new Usage(dec(quantityNow), eventsNow)),
                        billed,
                        Map.of("price_calls", price)),
                Map.of()));

        CloseRating.RatedLine adjustment = lines.stream()
                .filter(line -> line.kind() == LineKind.ADJUSTMENT)
                .findFirst()
                .orElseThrow();
        assertThat(adjustment.usagePeriod()).isEqualTo(NOV);
        assertThat(adjustment.quantity()).isEqualByComparingTo(expectedQuantity);
        assertThat(adjustment.previousQuantity()).isEqualByComparingTo(billedQuantity == null ? "0" : billedQuantity);
        assertThat(adjustment.eventCount()).isEqualTo(eventsNow);
        assertThat(adjustment.amountMinor()).isEqualTo(expectedMinor);
        assertThat(billedMinor + adjustment.amountMinor())
                .as("the period's lines add up to a quote of its usage now")
                .isEqualTo(
                        PriceRater.rate(definition, dec(quantityNow), eventsNow).amountMinor());
        // December had no usage: its usage line is there, at zero usage
        assertThat(lines.getFirst().kind()).isEqualTo(LineKind.USAGE);
        assertThat(lines.getFirst().usagePeriod()).isEqualTo(DEC);
        assertThat(lines.getFirst().quantity()).isEqualByComparingTo("0");
    }

    @Test
    void shouldRateARestatedPeriodWithThePriceThatBilledItNotTheFeaturesNewPrice() {
        CloseRating.Price old = new CloseRating.Price("price_old", "calls", GRADUATED);
        CloseRating.Price current = new CloseRating.Price("price_new", "calls", PER_UNIT);

        List<CloseRating.RatedLine> lines = only(CloseRating.rate(
                customer(
                        List.of(current),
                        Map.of(group("calls", NOV), new Usage(dec("1100"), 11)),
                        Map.of(group("calls", NOV), new CloseRating.Billed("price_old", dec("900"), 9500L)),
                        Map.of("price_old", old)),
                Map.of()));

        assertThat(lines)
                .extracting(
                        CloseRating.RatedLine::kind,
                        CloseRating.RatedLine::priceId,
                        CloseRating.RatedLine::usagePeriod,
                        CloseRating.RatedLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, "price_new", DEC, 0L),
                        tuple(LineKind.ADJUSTMENT, "price_old", NOV, 2800L));
    }

    @Test
    void shouldShowAUnitAmountOnlyOnPerUnitLines() {
        List<CloseRating.RatedLine> lines = only(CloseRating.rate(
                customer(
                        List.of(
                                new CloseRating.Price("price_calls", "calls", PER_UNIT),
                                new CloseRating.Price("price_gb", "storage", GRADUATED)),
                        Map.of(group("calls", DEC), new Usage(dec("3"), 3)),
                        Map.of(),
                        Map.of()),
                Map.of()));

        assertThat(lines)
                .extracting(CloseRating.RatedLine::featureKey, CloseRating.RatedLine::unitAmount)
                .containsExactly(tuple("calls", dec("0.10")), tuple("storage", null));
    }

    @Test
    void shouldInvoiceEachCurrencyOnItsOwnAndLeaveUnpricedFeaturesOut() {
        CloseRating.Price dollars = new CloseRating.Price("price_usd", "calls", PER_UNIT);
        CloseRating.Price euros = new CloseRating.Price("price_eur", "storage", usage("EUR", unit("2")));
        CloseRating.Price yen = new CloseRating.Price("price_jpy", "seats", usage("JPY", unit("100")));

        SortedMap<String, List<CloseRating.RatedLine>> invoices = CloseRating.rate(
                customer(
                        List.of(dollars, euros, yen),
                        Map.of(
                                group("calls", DEC), new Usage(dec("10"), 1),
                                group("storage", NOV), new Usage(dec("1"), 1),
                                group("unpriced", DEC), new Usage(dec("99"), 1)),
                        Map.of(),
                        Map.of()),
                Map.of());

        // no JPY invoice: none of its features has usage to bill
        assertThat(invoices).containsOnlyKeys("EUR", "USD");
        assertThat(invoices.get("USD"))
                .extracting(
                        CloseRating.RatedLine::kind,
                        CloseRating.RatedLine::featureKey,
                        CloseRating.RatedLine::amountMinor)
                .containsExactly(tuple(LineKind.USAGE, "calls", 100L));
        assertThat(invoices.get("EUR"))
                .extracting(
                        CloseRating.RatedLine::kind,
                        CloseRating.RatedLine::featureKey,
                        CloseRating.RatedLine::amountMinor)
                .containsExactly(tuple(LineKind.USAGE, "storage", 0L), tuple(LineKind.ADJUSTMENT, "storage", 200L));
    }

    @Test
    void shouldCarryANegativeTotalForwardAndApplyCreditUpToTheTotal() {
        CloseRating.Price price = new CloseRating.Price("price_calls", "calls", PER_UNIT);
        Map<CloseRating.Group, CloseRating.Billed> billed =
                Map.of(group("calls", NOV), new CloseRating.Billed("price_calls", dec("100"), 1000L));

        List<CloseRating.RatedLine> retracted = only(CloseRating.rate(
                customer(
                        List.of(price),
                        Map.of(group("calls", DEC), new Usage(dec("10"), 1), group("calls", NOV), Usage.NONE),
                        billed,
                        Map.of()),
                Map.of()));
        List<CloseRating.RatedLine> withCredit = only(CloseRating.rate(
                customer(List.of(price), Map.of(group("calls", DEC), new Usage(dec("10"), 1)), Map.of(), Map.of()),
                Map.of("USD", 900L)));

        // 1.00 of usage, November −10.00: 9.00 carried forward, the total stays zero
        assertThat(retracted)
                .extracting(CloseRating.RatedLine::kind, CloseRating.RatedLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.USAGE, 100L),
                        tuple(LineKind.ADJUSTMENT, -1000L),
                        tuple(LineKind.CREDIT_CARRIED_FORWARD, 900L));
        assertThat(CloseRating.total(retracted)).isZero();
        assertThat(withCredit)
                .extracting(CloseRating.RatedLine::kind, CloseRating.RatedLine::amountMinor)
                .containsExactly(tuple(LineKind.USAGE, 100L), tuple(LineKind.CREDIT_APPLIED, -100L));
        assertThat(withCredit.getLast().unitAmount()).isEqualByComparingTo("-1.00");
    }

    @Test
    void shouldFailWithAmountTooLargeWhenALinesRatingDoesNotFitTheMinorUnits() {
        CloseRating.Price price =
                new CloseRating.Price("price_big", "calls", usage("USD", unit("999999999999.999999999")));

        assertThatThrownBy(() -> CloseRating.rate(
                        customer(
                                List.of(price),
                                Map.of(group("calls", DEC), new Usage(dec("99999999999999"), 1)),
                                Map.of(),
                                Map.of()),
                        Map.of()))
                .isInstanceOf(AmountTooLargeException.class)
                .hasMessageContaining("minor units");
    }

    @Test
    void shouldFailWithAmountTooLargeWhenTheLinesAddUpBeyondTheMinorUnits() {
        BigDecimal maximum = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(2); // Long.MAX_VALUE cents
        List<CloseRating.Price> prices = List.of(
                new CloseRating.Price("p1", "calls", usage("USD", unit("1"))),
                new CloseRating.Price("p2", "storage", usage("USD", unit("1"))));

        assertThatThrownBy(() -> CloseRating.rate(
                        customer(
                                prices,
                                Map.of(
                                        group("calls", DEC), new Usage(maximum, 1),
                                        group("storage", DEC), new Usage(BigDecimal.ONE, 1)),
                                Map.of(),
                                Map.of()),
                        Map.of()))
                .isInstanceOf(AmountTooLargeException.class)
                .hasMessageContaining("total");
    }

    private static CloseRating.CustomerUsage customer(
            List<CloseRating.Price> subscribed,
            Map<CloseRating.Group, Usage> usage,
            Map<CloseRating.Group, CloseRating.Billed> billed,
            Map<String, CloseRating.Price> billedPrices) {
        return new CloseRating.CustomerUsage(DEC, subscribed, usage, billed, billedPrices);
    }

    private static List<CloseRating.RatedLine> only(SortedMap<String, List<CloseRating.RatedLine>> invoices) {
        assertThat(invoices).hasSize(1);
        return invoices.get(invoices.firstKey());
    }

    private static CloseRating.Group group(String feature, UsagePeriod period) {
        return new CloseRating.Group(feature, period);
    }

    private static PriceModel unit(String amount) {
        return new PriceModel.PerUnit(dec(amount));
    }

    private static PriceDefinition usage(String currency, PriceModel model) {
        return new PriceDefinition(currency, model, null, null, null, Interval.MONTH, 1, BillingTiming.IN_ARREARS);
    }

    /** {@code price} with these usage terms (null: none). */
    private static PriceDefinition terms(PriceDefinition price, String freeUnits, String minimum, String maximum) {
        return new PriceDefinition(
                price.currency(),
                price.model(),
                dec(freeUnits),
                dec(minimum),
                dec(maximum),
                price.interval(),
                price.intervalCount(),
                price.billingTiming());
    }

    private static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }
}
