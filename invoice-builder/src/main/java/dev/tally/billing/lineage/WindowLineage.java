package dev.tally.billing.lineage;

import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One ledger window as a line billed it (pure): the statements (revisions) the line billed, and the window as
 * it counted before the line and with it. A window counts at its highest revision ({@link
 * UsageMerge#latestRevisions}, the rule the rating used), so for a usage line {@code before} is null and
 * {@code now} is the revision billed; for an adjustment, {@code before} is what earlier invoices billed of the
 * window (null for a window first billed late) and {@code now} what it counts at after the restatement.
 *
 * @param billed the line's own statements of the window, in the order they were recorded
 */
public record WindowLineage(
        String windowKey,
        Instant windowStart,
        Instant windowEnd,
        Aggregation aggregation,
        List<Statement> billed,
        Counted before,
        Counted now) {

    /**
     * A statement the line billed; {@code counted}: the one the window counts at as of the line; {@code creditNote}:
     * the credit note of late usage that billed this restatement against the line (V32), else null.
     */
    public record Statement(
            long revision,
            String aggregateId,
            BigDecimal quantity,
            long eventCount,
            Instant recordedAt,
            boolean counted,
            String creditNote) {}

    /** The statement a window counts at: its revision, quantity and events. */
    public record Counted(long revision, String aggregateId, BigDecimal quantity, long eventCount) {
        static Counted of(LedgerEntry entry) {
            return new Counted(entry.revision(), entry.aggregateId(), entry.quantity(), entry.eventCount());
        }
    }

    public WindowLineage {
        Objects.requireNonNull(now, "now");
        billed = List.copyOf(billed);
    }

    /** Whether the line changed what the window counts at (always, for a window first billed by it). */
    public boolean changed() {
        return before == null || !before.aggregateId().equals(now.aggregateId());
    }

    /**
     * The windows {@code windowKeys} (in that order) of {@code rows}: every row of them the line billed ({@code
     * own}) and those earlier invoices billed, in the order they were recorded.
     *
     * @throws IllegalArgumentException if the line billed no row of one of {@code windowKeys}
     */
    public static List<WindowLineage> of(List<String> windowKeys, List<LineageDao.BilledRow> rows) {
        Map<String, List<LineageDao.BilledRow>> byWindow = new LinkedHashMap<>();
        windowKeys.forEach(key -> byWindow.put(key, new ArrayList<>()));
        for (LineageDao.BilledRow row : rows) {
            List<LineageDao.BilledRow> window = byWindow.get(row.entry().windowKey());
            if (window != null) {
                window.add(row);
            }
        }
        List<WindowLineage> windows = new ArrayList<>();
        byWindow.forEach((key, window) -> windows.add(of(key, window)));
        return windows;
    }

    private static WindowLineage of(String windowKey, List<LineageDao.BilledRow> rows) {
        List<LedgerEntry> earlier = rows.stream()
                .filter(row -> !row.own())
                .map(LineageDao.BilledRow::entry)
                .toList();
        List<LedgerEntry> all = rows.stream().map(LineageDao.BilledRow::entry).toList();
        List<LineageDao.BilledRow> ownRows =
                rows.stream().filter(LineageDao.BilledRow::own).toList();
        List<LedgerEntry> own =
                ownRows.stream().map(LineageDao.BilledRow::entry).toList();
        if (own.isEmpty()) {
            throw new IllegalArgumentException("the line billed no statement of window " + windowKey);
        }
        LedgerEntry counted = UsageMerge.latestRevisions(all).getFirst();
        LedgerEntry first = own.getFirst();
        return new WindowLineage(
                windowKey,
                first.windowStart(),
                first.windowEnd(),
                first.aggregation(),
                ownRows.stream()
                        .map(row -> new Statement(
                                row.entry().revision(),
                                row.entry().aggregateId(),
                                row.entry().quantity(),
                                row.entry().eventCount(),
                                row.entry().recordedAt(),
                                row.entry().id() == counted.id(),
                                row.creditNoteId()))
                        .toList(),
                earlier.isEmpty()
                        ? null
                        : Counted.of(UsageMerge.latestRevisions(earlier).getFirst()),
                Counted.of(counted));
    }
}
