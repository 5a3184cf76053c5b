package dev.tally.billing.invoice;

import dev.tally.billing.planning.Usage;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.PriceRater;
import dev.tally.billing.rating.RatedUsage;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pure rating of one customer's part of a period close: its usage per feature and period, what earlier
 * closes billed for the restated periods, its prices and its credit in, the lines of its invoices (one per
 * currency) out; no I/O. Every period is rated by {@link PriceRater}, the rater of quotes and of the billing
 * cycle, as one period of its price: free units, minimum and maximum apply to it, and the amount is rounded
 * HALF_EVEN once for the line. So a quote of a period's usage is what its usage line says, and a period's
 * lines over several invoices add up to one rating of its usage as it stands now.
 *
 * <p>An adjustment is rated on its own line (not folded into the usage line) so that finance sees which
 * earlier period changed, by how much and at which quantity it stands now. As the billing cycle's, its
 * amount is the difference of rounded amounts: the period's rating now less what its lines billed (a tier
 * edge crossed, free units used up or a maximum reached all make it differ from the quantity's difference
 * times a unit amount); its quantity is the difference of quantities.
 *
 * <pre>
 *  closed:  [Nov ─────── Dec)   billed: usage line, price P, 1,000 units, 10.00
 *  restated: Nov now 1,500 units → rate(P, 1,500) = 17.50 → adjustment of Nov: +500 units, +7.50
 * </pre>
 */
public final class CloseRating {

    private CloseRating() {}

    /** One feature's usage in one period: the closed one, or an earlier one it restates. */
    public record Group(String feature, UsagePeriod period) {}

    /** A usage price the close rates with: its id, the feature whose usage it rates, what it charges. */
    public record Price(String id, String featureKey, PriceDefinition definition) {

        public Price {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(featureKey, "featureKey");
            if (!definition.model().kind().ratesUsage()) {
                throw new IllegalArgumentException("price " + id + " is a flat fee: the close rates usage only");
            }
        }

        String currency() {
            return definition.currency();
        }
    }

    /**
     * What earlier closes billed for one feature's period: the price its usage line named (null when
     * unknown) and the quantity and amount of all its lines (usage line and adjustments) added up, less what
     * credit notes of late usage took off the period.
     */
    public record Billed(String priceId, BigDecimal quantity, long amountMinor) {

        public static final Billed NOTHING = new Billed(null, BigDecimal.ZERO, 0);

        /** What is billed once {@code credited}'s quantity and amount (credit notes of late usage) are taken off. */
        public Billed less(Billed credited) {
            return new Billed(priceId, quantity.subtract(credited.quantity()), amountMinor - credited.amountMinor());
        }
    }

    /**
     * One customer's usage in a close.
     *
     * @param period the period closed
     * @param subscribed the customer's usage prices, one per feature, in the order of their usage lines
     * @param usage per feature and period the close bills: the closed period's usage, and each restated
     *     earlier period's usage as it stands now (all its windows at their latest revisions)
     * @param billed what earlier closes billed for the restated periods (absent: nothing)
     * @param billedPrices the prices that billed them, by id (absent: the subscribed price rates it)
     */
    public record CustomerUsage(
            UsagePeriod period,
            List<Price> subscribed,
            Map<Group, Usage> usage,
            Map<Group, Billed> billed,
            Map<String, Price> billedPrices) {

        public CustomerUsage {
            subscribed = List.copyOf(subscribed);
            usage = Map.copyOf(usage);
            billed = Map.copyOf(billed);
            billedPrices = Map.copyOf(billedPrices);
        }
    }

    /**
     * One rated line; {@code priceId}, {@code featureKey}, {@code usagePeriod} and {@code eventCount} are null
     * on credit lines, {@code unitAmount} is null on lines of a model without a single unit amount.
     */
    public record RatedLine(
            LineKind kind,
            String priceId,
            String featureKey,
            BigDecimal quantity,
            BigDecimal unitAmount,
            long amountMinor,
            Long eventCount,
            UsagePeriod usagePeriod,
            BigDecimal previousQuantity) {}

    /**
     * The lines of the customer's invoices, by currency (ascending), for each currency in which a price rates
     * one of {@code usage}'s periods: one usage line per subscribed price in that currency, in the order
     * given (zero usage when its feature has none in the closed period), then one adjustment line per
     * restated period (by feature, then period), then at most one credit line by {@link CustomerCredit}'s
     * rule ({@code creditBalances}: credit from earlier invoices, by currency). A restated period is rated
     * by the price that billed it, else by the feature's subscribed price; a period no price rates is left
     * out (its usage stays un-billed).
     *
     * @throws AmountTooLargeException when a line's amount or an invoice's total does not fit {@code long}
     *     minor units
     */
    public static SortedMap<String, List<RatedLine>> rate(CustomerUsage customer, Map<String, Long> creditBalances) {
        Map<String, Price> byFeature = new LinkedHashMap<>();
        customer.subscribed().forEach(price -> byFeature.put(price.featureKey(), price));
        SortedMap<String, List<RatedLine>> invoices = new TreeMap<>();
        Map<Group, Price> restated = new LinkedHashMap<>();
        customer.usage().keySet().stream()
                .sorted(Comparator.comparing(Group::feature)
                        .thenComparing(group -> group.period().start()))
                .forEach(group -> {
                    boolean closed = group.period().equals(customer.period());
                    Price price = closed ? byFeature.get(group.feature()) : restatingPrice(customer, group, byFeature);
                    if (price != null) {
                        invoices.put(price.currency(), new ArrayList<>());
                        if (!closed) {
                            restated.put(group, price);
                        }
                    }
                });
        invoices.forEach((currency, lines) -> {
            for (Price price : customer.subscribed()) {
                if (price.currency().equals(currency)) {
                    lines.add(usageLine(customer, price));
                }
            }
            restated.forEach((group, price) -> {
                if (price.currency().equals(currency)) {
                    lines.add(adjustment(customer, group, price));
                }
            });
            CustomerCredit.of(total(lines), creditBalances.getOrDefault(currency, 0L))
                    .ifPresent(credit -> lines.add(new RatedLine(
                            credit.kind(),
                            null,
                            null,
                            BigDecimal.ONE,
                            Currencies.fromMinor(credit.amountMinor(), currency),
                            credit.amountMinor(),
                            null,
                            null,
                            null)));
        });
        return invoices;
    }

    /** The price that billed the restated {@code group}, else its feature's subscribed one (null: none). */
    private static Price restatingPrice(CustomerUsage customer, Group group, Map<String, Price> byFeature) {
        Billed billed = customer.billed().get(group);
        Price billedBy = billed == null ? null : customer.billedPrices().get(billed.priceId());
        if (billedBy != null && billedBy.featureKey().equals(group.feature())) {
            return billedBy;
        }
        return byFeature.get(group.feature());
    }

    private static RatedLine usageLine(CustomerUsage customer, Price price) {
        Usage usage = customer.usage().getOrDefault(new Group(price.featureKey(), customer.period()), Usage.NONE);
        return new RatedLine(
                LineKind.USAGE,
                price.id(),
                price.featureKey(),
                usage.quantity(),
                unitAmount(price),
                rate(price, usage).amountMinor(),
                usage.eventCount(),
                customer.period(),
                null);
    }

    private static RatedLine adjustment(CustomerUsage customer, Group group, Price price) {
        Usage now = customer.usage().get(group);
        Billed billed = customer.billed().getOrDefault(group, Billed.NOTHING);
        long difference;
        try {
            difference = Math.subtractExact(rate(price, now).amountMinor(), billed.amountMinor());
        } catch (ArithmeticException e) {
            throw new AmountTooLargeException("the adjustment of " + group.feature() + " for " + group.period()
                    + " exceeds " + Long.MAX_VALUE + " minor units");
        }
        return new RatedLine(
                LineKind.ADJUSTMENT,
                price.id(),
                price.featureKey(),
                now.quantity().subtract(billed.quantity()),
                unitAmount(price),
                difference,
                now.eventCount(),
                group.period(),
                billed.quantity());
    }

    private static RatedUsage rate(Price price, Usage usage) {
        try {
            return PriceRater.rate(price.definition(), usage.quantity(), usage.eventCount());
        } catch (Currencies.MinorUnitsOverflowException e) {
            throw new AmountTooLargeException(e.getMessage());
        }
    }

    /** A per_unit price's unit amount: the one model whose lines have a single price per unit. */
    private static BigDecimal unitAmount(Price price) {
        return price.definition().model() instanceof PriceModel.PerUnit perUnit ? perUnit.unitAmount() : null;
    }

    /**
     * The sum of the lines' amounts.
     *
     * @throws AmountTooLargeException when the sum does not fit a {@code long}
     */
    static long total(List<RatedLine> lines) {
        long total = 0;
        for (RatedLine line : lines) {
            try {
                total = Math.addExact(total, line.amountMinor());
            } catch (ArithmeticException e) {
                throw new AmountTooLargeException("the invoice total exceeds " + Long.MAX_VALUE + " minor units");
            }
        }
        return total;
    }
}
