package dev.tally.billing.lineage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of verifying an invoice (amounts in {@code currency}): whether its stored lines and total are what its inputs recompute to,
 * and every difference.
 */
public record Verification(String invoiceId, String currency, List<Difference> differences) {

    /**
     * One difference: a stored line recomputed otherwise ({@code expected} and {@code stored}), a stored line
     * nothing recomputes ({@code expected} null), a recomputed line the invoice lacks ({@code stored} null), or
     * the total ({@code total} set, the lines null).
     */
    public record Difference(LineFigures expected, LineFigures stored, Total total) {}

    /** An invoice's total in minor units, recomputed and stored. */
    public record Total(long expectedMinor, long storedMinor) {}

    public Verification {
        differences = List.copyOf(differences);
    }

    public boolean verified() {
        return differences.isEmpty();
    }

    /**
     * Compares {@code stored} (in the invoice's order) and its total {@code storedTotalMinor} with {@code
     * expected}, pairing lines by their match (pure). The expected total is the sum of the expected lines.
     */
    static Verification of(
            String invoiceId,
            String currency,
            List<LineFigures> expected,
            List<LineFigures> stored,
            long storedTotalMinor) {
        Map<String, Deque<LineFigures>> byMatch = new LinkedHashMap<>();
        long expectedTotal = 0;
        for (LineFigures line : expected) {
            byMatch.computeIfAbsent(line.match(), m -> new ArrayDeque<>()).add(line);
            expectedTotal = Math.addExact(expectedTotal, line.amountMinor());
        }
        List<Difference> differences = new ArrayList<>();
        for (LineFigures line : stored) {
            Deque<LineFigures> candidates = byMatch.get(line.match());
            LineFigures recomputed = candidates == null ? null : candidates.poll();
            if (recomputed == null || !recomputed.sameAs(line)) {
                differences.add(new Difference(recomputed, line, null));
            }
        }
        byMatch.values().forEach(left -> left.forEach(line -> differences.add(new Difference(line, null, null))));
        if (expectedTotal != storedTotalMinor) {
            differences.add(new Difference(null, null, new Total(expectedTotal, storedTotalMinor)));
        }
        return new Verification(invoiceId, currency, differences);
    }
}
