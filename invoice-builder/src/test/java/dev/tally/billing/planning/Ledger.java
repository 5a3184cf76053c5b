package dev.tally.billing.planning;

import dev.tally.billing.cycle.TimeSpan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory ledger: usage recorded per item and span, restated by recording again; it remembers what it
 * was asked, so a test can see which spans the planner rated.
 */
final class Ledger implements UsageSource {

    private final Map<String, Usage> usage = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    /** An empty ledger. */
    static Ledger empty() {
        return new Ledger();
    }

    /** {@code itemId}'s usage in {@code [from, to)} is {@code quantity} over {@code events} events from now on. */
    Ledger record(String itemId, String from, String to, String quantity, long events) {
        usage.put(
                itemId + " " + new TimeSpan(Plans.at(from), Plans.at(to)), new Usage(new BigDecimal(quantity), events));
        return this;
    }

    @Override
    public Usage usage(String itemId, String priceId, String featureKey, TimeSpan span) {
        asked.add(itemId + " " + priceId + " " + featureKey + " " + span);
        return usage.getOrDefault(itemId + " " + span, Usage.NONE);
    }

    /** What the planner asked, in order: "item price feature [from, to)". */
    List<String> asked() {
        return List.copyOf(asked);
    }
}
