package dev.tally.billing.ledger;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure and exact (the union of UNIQUE_COUNT values is counted by the {@link DistinctCounter} it is
 * given): the usage of a set of windows. Each window counts once, at its highest
 * revision (a restatement replaces the window; it is not added to it). The windows are then
 * merged by their aggregation: SUM and COUNT add; MIN / MAX take the smallest / largest value;
 * LATEST takes the value with the greatest {@code latestAt}; UNIQUE_COUNT counts the union of the
 * windows' distinct values. A window whose every event was retracted (no events) takes no part in
 * MIN, MAX or LATEST.
 *
 * <p>Windows of different aggregations (a feature whose meter was replaced by one with another
 * aggregation) are merged per aggregation and the results added: each part of the period is
 * billed by the meter that measured it.
 */
public final class UsageMerge {

    private UsageMerge() {}

    /** The highest revision of each window among {@code statements}, in first-seen window order. */
    public static List<LedgerEntry> latestRevisions(Collection<LedgerEntry> statements) {
        Map<String, LedgerEntry> latest = new LinkedHashMap<>();
        for (LedgerEntry statement : statements) {
            latest.merge(statement.windowKey(), statement, (a, b) -> b.revision() > a.revision() ? b : a);
        }
        return new ArrayList<>(latest.values());
    }

    /**
     * The merged usage of {@code statements} (any revisions of any windows); zero when empty.
     * {@code distinct} counts the union of the values of the UNIQUE_COUNT windows at their highest
     * revisions.
     */
    public static BigDecimal merge(Collection<LedgerEntry> statements, DistinctCounter distinct) {
        Map<Aggregation, List<LedgerEntry>> byAggregation = new EnumMap<>(Aggregation.class);
        for (LedgerEntry window : latestRevisions(statements)) {
            byAggregation
                    .computeIfAbsent(window.aggregation(), a -> new ArrayList<>())
                    .add(window);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (var windows : byAggregation.entrySet()) {
            total = total.add(mergeOne(windows.getKey(), windows.getValue(), distinct));
        }
        // every input has at most the contract's scale, so this never rounds
        return total.setScale(Decimals.QUANTITY_SCALE);
    }

    /** The events behind {@code statements}: those of each window at its highest revision, added. */
    public static long eventCount(Collection<LedgerEntry> statements) {
        long events = 0;
        for (LedgerEntry window : latestRevisions(statements)) {
            events = Math.addExact(events, window.eventCount());
        }
        return events;
    }

    private static BigDecimal mergeOne(Aggregation aggregation, List<LedgerEntry> windows, DistinctCounter distinct) {
        return switch (aggregation) {
            case SUM, COUNT -> windows.stream().map(LedgerEntry::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            case MIN ->
                withEvents(windows).stream()
                        .map(LedgerEntry::quantity)
                        .min(Comparator.naturalOrder())
                        .orElse(BigDecimal.ZERO);
            case MAX ->
                withEvents(windows).stream()
                        .map(LedgerEntry::quantity)
                        .max(Comparator.naturalOrder())
                        .orElse(BigDecimal.ZERO);
            case LATEST ->
                withEvents(windows).stream()
                        .filter(w -> w.latestAt() != null)
                        // windows are disjoint in time, so latestAt ties only inside one window
                        .max(Comparator.comparing(LedgerEntry::latestAt, Comparator.<Instant>naturalOrder())
                                .thenComparing(LedgerEntry::windowStart))
                        .map(LedgerEntry::quantity)
                        .orElse(BigDecimal.ZERO);
            case UNIQUE_COUNT -> BigDecimal.valueOf(distinct.count(windows));
        };
    }

    private static List<LedgerEntry> withEvents(List<LedgerEntry> windows) {
        return windows.stream().filter(w -> w.eventCount() > 0).toList();
    }
}
