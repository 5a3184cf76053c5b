package dev.tally.billing.planning;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the lines already invoiced for one key stand at: the quantity and events of the latest (highest
 * revision), the sum of all their amounts, and that highest revision (0 when only the line itself).
 */
record Standing(BigDecimal quantity, long eventCount, long amountMinor, int revision) {

    /**
     * The standing of every key {@code invoiced} holds.
     *
     * @throws IllegalArgumentException if a key is not one the planner writes, or appears twice
     */
    static Map<LineKey, Standing> of(List<InvoicedLine> invoiced) {
        Set<String> seen = new HashSet<>();
        Map<LineKey, Standing> standings = new HashMap<>();
        for (InvoicedLine line : invoiced) {
            if (!seen.add(line.key())) {
                throw new IllegalArgumentException("an invoice line key appears twice: " + line.key());
            }
            LineKey.Revision revision = LineKey.parse(line.key());
            standings.merge(revision.key(), of(line, revision.revision()), Standing::plus);
        }
        return standings;
    }

    private static Standing of(InvoicedLine line, int revision) {
        return new Standing(line.quantity(), line.eventCount(), line.amountMinor(), revision);
    }

    private Standing plus(Standing other) {
        Standing latest = other.revision > revision ? other : this;
        return new Standing(
                latest.quantity, latest.eventCount, Math.addExact(amountMinor, other.amountMinor), latest.revision);
    }

    /** As a line shows it. */
    PlannedLine.Billed billed(LineKey key) {
        return new PlannedLine.Billed(key.text(), quantity, eventCount, amountMinor);
    }
}
