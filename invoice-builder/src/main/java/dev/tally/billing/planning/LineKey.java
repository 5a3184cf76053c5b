package dev.tally.billing.planning;

import dev.tally.billing.cycle.FlatCharge;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.cycle.UsageSpan;
import dev.tally.billing.planning.PlannedLine.Kind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * What identifies a flat-fee or usage line: its kind, item, price and span (the one place the key format of
 * {@link PlannedLine#key()} is written and read). An adjustment's key is its adjusted key and a revision.
 */
record LineKey(Kind kind, String itemId, String priceId, TimeSpan span) {

    private static final String SEPARATOR = "|";
    private static final String FLAT = "flat";
    private static final String USAGE = "usage";
    private static final String ADJUSTMENT = "adjustment";

    /** An adjustment key read back: the key it adjusts and its revision (0 for the adjusted line itself). */
    record Revision(LineKey key, int revision) {}

    LineKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(span, "span");
        if (kind == Kind.ADJUSTMENT) {
            throw new IllegalArgumentException("an adjustment is keyed by the line it adjusts");
        }
        requireSafe("itemId", itemId);
        requireSafe("priceId", priceId);
    }

    static LineKey of(FlatCharge charge) {
        Kind kind =
                switch (charge.kind()) {
                    case IN_ADVANCE -> Kind.IN_ADVANCE;
                    case PRORATION_CREDIT -> Kind.PRORATION_CREDIT;
                    case PRORATION_CHARGE -> Kind.PRORATION_CHARGE;
                    case CANCELLATION_CREDIT -> Kind.CANCELLATION_CREDIT;
                    case IN_ARREARS -> Kind.IN_ARREARS;
                };
        return new LineKey(kind, charge.itemId(), charge.priceId(), charge.span());
    }

    static LineKey of(UsageSpan usage) {
        return new LineKey(Kind.USAGE, usage.itemId(), usage.priceId(), usage.span());
    }

    boolean isUsage() {
        return kind == Kind.USAGE;
    }

    /** The key as stored. */
    String text() {
        String tail = itemId + SEPARATOR + priceId + SEPARATOR + span.from() + SEPARATOR + span.to();
        return isUsage() ? USAGE + SEPARATOR + tail : FLAT + SEPARATOR + kind.wireName() + SEPARATOR + tail;
    }

    /** The key of this key's {@code revision}th adjustment (from 1). */
    String adjustmentText(int revision) {
        return ADJUSTMENT + SEPARATOR + text() + SEPARATOR + revision;
    }

    /**
     * The key {@code text} names, and its revision.
     *
     * @throws IllegalArgumentException if {@code text} is not a key this class writes
     */
    static Revision parse(String text) {
        if (text.startsWith(ADJUSTMENT + SEPARATOR)) {
            int last = text.lastIndexOf(SEPARATOR);
            int revision = parseRevision(text, text.substring(last + 1));
            return new Revision(parseLine(text.substring(ADJUSTMENT.length() + 1, last), text), revision);
        }
        return new Revision(parseLine(text, text), 0);
    }

    private static LineKey parseLine(String line, String text) {
        String[] parts = line.split("\\|", -1);
        try {
            if (parts.length == 5 && parts[0].equals(USAGE)) {
                return new LineKey(Kind.USAGE, parts[1], parts[2], span(parts[3], parts[4]));
            }
            if (parts.length == 6 && parts[0].equals(FLAT)) {
                Kind kind = Kind.valueOf(parts[1].toUpperCase(Locale.ROOT));
                if (kind == Kind.USAGE) {
                    throw notAKey(text);
                }
                return new LineKey(kind, parts[2], parts[3], span(parts[4], parts[5]));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw notAKey(text);
        }
        throw notAKey(text);
    }

    private static int parseRevision(String text, String revision) {
        try {
            int value = Integer.parseInt(revision);
            if (value < 1) {
                throw notAKey(text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw notAKey(text);
        }
    }

    private static TimeSpan span(String from, String to) {
        return new TimeSpan(Instant.parse(from), Instant.parse(to));
    }

    private static IllegalArgumentException notAKey(String text) {
        return new IllegalArgumentException("not an invoice line key: " + text);
    }

    private static void requireSafe(String field, String id) {
        if (id == null || id.isEmpty() || id.contains(SEPARATOR)) {
            throw new IllegalArgumentException(field + " must be non-empty without '" + SEPARATOR + "': " + id);
        }
    }
}
