package dev.tally.billing.planning;

import dev.tally.billing.cycle.ExactAmount;
import dev.tally.billing.cycle.ProrationFraction;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.rating.RatedPart;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One draft invoice line.
 *
 * @param key stable and unique within the subscription, for a UNIQUE constraint that makes writing it
 *     exactly-once: {@code flat|<kind>|<itemId>|<priceId>|<spanFrom>|<spanTo>} (kind as {@link Kind#wireName()}),
 *     {@code usage|<itemId>|<priceId>|<spanFrom>|<spanTo>}, or {@code adjustment|<adjusted key>|<revision>} with
 *     revisions 1, 2, … per adjusted key; instants in ISO-8601 UTC ({@code 2026-03-01T00:00:00Z})
 * @param kind why the line exists
 * @param itemId the subscription item it bills
 * @param priceId the item's price in {@code span}
 * @param featureKey the feature of a usage price; null for a flat fee
 * @param span the part of a billing period the line is for
 * @param quantity a flat fee's quantity (seats), or the span's whole usage as it stands now (for an adjustment
 *     too: not the difference; {@link #adjusts()} holds what it stood at before)
 * @param eventCount the events behind a usage quantity; 0 for flat fees
 * @param fraction a flat fee's share of its billing period, by the second; null for usage and for the adjustment
 *     of a line the facts no longer imply
 * @param amount exact and signed (negative for credits): a flat fee's amount × quantity × fraction, or the
 *     rated usage; for an adjustment, the difference of rounded amounts, exact in minor units
 * @param amountMinor {@code amount} in the currency's minor units, rounded HALF_EVEN once for the line
 * @param breakdown the rating's parts for usage and usage adjustments (of the usage as it stands now); empty
 *     for flat fees
 * @param adjusts for an adjustment: what the adjusted key's invoiced lines stood at before it; else null
 * @param description for people: "Pro plan × 3, Mar 1 – Mar 31, 2026 (prorated 12 of 31 days)"
 */
public record PlannedLine(
        String key,
        Kind kind,
        String itemId,
        String priceId,
        String featureKey,
        TimeSpan span,
        BigDecimal quantity,
        long eventCount,
        ProrationFraction fraction,
        ExactAmount amount,
        long amountMinor,
        List<RatedPart> breakdown,
        Billed adjusts,
        String description) {

    /** What a line bills. */
    public enum Kind {
        /** A flat fee for the period ahead, billed when its span starts. */
        IN_ADVANCE,
        /** After a change inside a period: the unused part of the old item's in-advance fee, credited. */
        PRORATION_CREDIT,
        /** After a change inside a period: the rest of the period at the new item, charged. */
        PRORATION_CHARGE,
        /** After a cancellation inside a period: the unused part of the in-advance fee, credited. */
        CANCELLATION_CREDIT,
        /** A flat fee for the time the item was held, billed at the end of the period's billed part. */
        IN_ARREARS,
        /** A usage span's usage, rated, billed once the span has ended. */
        USAGE,
        /** The difference between what an invoiced key stands at now and what it was billed. */
        ADJUSTMENT;

        /** As written in keys and shown: {@code in_advance}, {@code usage}, {@code adjustment}… */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the lines already invoiced for {@code key} stood at: the usage (or quantity) of the latest of them
     * and the sum of their amounts.
     */
    public record Billed(String key, BigDecimal quantity, long eventCount, long amountMinor) {}

    public PlannedLine {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(description, "description");
        breakdown = List.copyOf(breakdown);
        if ((kind == Kind.ADJUSTMENT) != (adjusts != null)) {
            throw new IllegalArgumentException("exactly the adjustments say what they adjust: " + key);
        }
    }
}
