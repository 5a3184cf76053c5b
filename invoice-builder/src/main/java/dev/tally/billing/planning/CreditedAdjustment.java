package dev.tally.billing.planning;

import dev.tally.billing.cycle.ExactAmount;
import dev.tally.schemas.rules.Currencies;
import java.util.Optional;

/**
 * What is left of a planned usage adjustment once a late-usage credit note took part of its (negative) amount
 * (pure). The note takes the adjustment's place under its key (it is read back as an invoiced line of that key,
 * see {@link InvoicedLine}); the rest, if any, is the key's next revision: an adjustment standing at the same usage,
 * of the amount the note could not take, planned from what the key stands at with the note. So the key's lines and
 * notes add up to what the span costs now, as the planner would have billed it without notes.
 */
public final class CreditedAdjustment {

    private CreditedAdjustment() {}

    /**
     * The remainder of {@code adjustment} (a usage adjustment) once a note credited {@code creditedMinor} of it (at
     * most its negative amount), in {@code currency}; empty when the note took it whole.
     */
    public static Optional<PlannedLine> remainder(PlannedLine adjustment, long creditedMinor, String currency) {
        if (adjustment.kind() != PlannedLine.Kind.ADJUSTMENT || adjustment.featureKey() == null) {
            throw new IllegalArgumentException("only a usage adjustment is credited: " + adjustment.key());
        }
        if (creditedMinor <= 0 || creditedMinor > -adjustment.amountMinor()) {
            throw new IllegalArgumentException("a note credits from 1 to " + -adjustment.amountMinor() + " of "
                    + adjustment.key() + ", not " + creditedMinor);
        }
        long rest = adjustment.amountMinor() + creditedMinor;
        if (rest == 0) {
            return Optional.empty();
        }
        LineKey.Revision revision = LineKey.parse(adjustment.key());
        PlannedLine.Billed before = adjustment.adjusts();
        return Optional.of(new PlannedLine(
                revision.key().adjustmentText(revision.revision() + 1),
                adjustment.kind(),
                adjustment.itemId(),
                adjustment.priceId(),
                adjustment.featureKey(),
                adjustment.span(),
                adjustment.quantity(),
                adjustment.eventCount(),
                adjustment.fraction(),
                new ExactAmount(Currencies.fromMinor(rest, currency), 1),
                rest,
                adjustment.breakdown(),
                // what the key stands at with the note: the span's usage now, and the amount less the note
                new PlannedLine.Billed(
                        before.key(),
                        adjustment.quantity(),
                        adjustment.eventCount(),
                        before.amountMinor() - creditedMinor),
                adjustment.description()));
    }
}
