package dev.tally.billing.invoice;

import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The un-billed statements one invoice bills: a customer's, for the features priced in the
 * invoice's currency, grouped by feature and by the period they belong to (the invoice's own or an
 * earlier one they restate). Pure.
 */
final class Statements {

    /** One feature's statements belonging to one period. */
    record Group(String feature, UsagePeriod period) {}

    private final Map<Group, List<LedgerEntry>> groups;

    private Statements(Map<Group, List<LedgerEntry>> groups) {
        this.groups = groups;
    }

    /** The groups of {@code all} whose feature has one of {@code prices}. */
    static Statements of(Map<Group, List<LedgerEntry>> all, List<Rating.SubscribedPrice> prices) {
        Set<String> priced =
                prices.stream().map(Rating.SubscribedPrice::featureKey).collect(Collectors.toSet());
        Map<Group, List<LedgerEntry>> kept = new LinkedHashMap<>();
        all.forEach((group, rows) -> {
            if (priced.contains(group.feature())) {
                kept.put(group, rows);
            }
        });
        return new Statements(kept);
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The un-billed statements of {@code group} (none: empty). */
    List<LedgerEntry> rows(Group group) {
        return groups.getOrDefault(group, List.of());
    }

    /**
     * Usage per feature in {@code period}: its windows at their highest revisions, merged ({@code
     * distinct} counts UNIQUE_COUNT values).
     */
    Map<String, BigDecimal> usage(UsagePeriod period, DistinctCounter distinct) {
        Map<String, BigDecimal> usage = new TreeMap<>();
        groups.forEach((group, rows) -> {
            if (group.period().equals(period)) {
                usage.put(group.feature(), UsageMerge.merge(rows, distinct));
            }
        });
        return usage;
    }

    /** The groups that restate periods other than {@code period}. */
    List<Group> earlierPeriods(UsagePeriod period) {
        return groups.keySet().stream()
                .filter(group -> !group.period().equals(period))
                .toList();
    }
}
