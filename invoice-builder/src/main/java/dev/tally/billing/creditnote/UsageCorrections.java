package dev.tally.billing.creditnote;

import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceStatus;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.topic.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Issues the {@code usage_corrected} credit notes of late usage, in the caller's transaction (the period close's or
 * the billing cycle's bill): a lowering of a customer's feature in an invoiced period (or of a subscription's usage
 * span) is credited ({@link LateUsageCredit}) against the invoice whose usage line billed it, outcome {@code credit}, when that invoice can take a credit note
 * (open, paid or uncollectible, with something left to credit); a void one cannot, and the lowering stays a
 * negative adjustment line. The note, its number, its {@code CREDIT_NOTE_ISSUED} event (through {@link
 * CreditNoteWriter}) and the ledger's billing marks the caller writes commit together or not at all.
 */
public final class UsageCorrections {

    private final CreditNoteWriter writer;

    public UsageCorrections(Outbox outbox, Topics topics) {
        this.writer = new CreditNoteWriter(outbox, topics);
    }

    /** A lowering credited: the note, the line it corrects, and what it took off the period. */
    public record Corrected(CreditNote note, String lineId, LateUsageCredit.Credit credit) {}

    /**
     * Credits {@code lowering} of customer {@code customerId}'s {@code feature} in {@code period} at {@code now}
     * (the transaction's start, the instant its invoices are created at, so a replay counts the note before them);
     * empty when no invoice of the close billed the period by a usage line, or it cannot take the note.
     */
    public Optional<Corrected> credit(
            Handle handle,
            String customerId,
            String feature,
            UsagePeriod period,
            LateUsageCredit.Lowering lowering,
            Instant now) {
        Optional<BilledUsageDao.BilledLine> billed = new BilledUsageDao(handle).usageLine(customerId, feature, period);
        if (billed.isEmpty()) {
            return Optional.empty();
        }
        return credit(handle, billed.get(), memo(feature, period), lowering, null, now);
    }

    /**
     * What the billing cycle's adjustment keyed {@code plannedKey} would have left its span at: its whole usage and
     * events (the note is read back as an invoiced line of that key).
     */
    public record Planned(String plannedKey, BigDecimal quantity, long eventCount) {}

    /**
     * Credits {@code lowering} of a usage span of subscription {@code subscriptionId} at {@code now} (the
     * transaction's start, as {@link #credit(Handle, String, String, UsagePeriod, LateUsageCredit.Lowering,
     * Instant)}): against the invoice whose line keyed {@code usageKey} billed the span, in place of the adjustment
     * {@code planned}; empty when no issued invoice holds that line, or it cannot take the note.
     */
    public Optional<Corrected> creditSpan(
            Handle handle,
            String subscriptionId,
            String usageKey,
            String feature,
            UsagePeriod span,
            LateUsageCredit.Lowering lowering,
            Planned planned,
            Instant now) {
        Optional<BilledUsageDao.BilledLine> billed =
                new BilledUsageDao(handle).subscriptionLine(subscriptionId, usageKey);
        if (billed.isEmpty()) {
            return Optional.empty();
        }
        return credit(handle, billed.get(), memo(feature, span), lowering, planned, now);
    }

    private Optional<Corrected> credit(
            Handle handle,
            BilledUsageDao.BilledLine billed,
            String memo,
            LateUsageCredit.Lowering lowering,
            Planned planned,
            Instant now) {
        InvoiceDao invoices = new InvoiceDao(handle);
        Invoice invoice = invoices.invoiceForUpdate(billed.invoiceId()).orElseThrow();
        if (!takesCreditNotes(invoice)) {
            return Optional.empty();
        }
        InvoiceLine line = invoices.lines(invoice.id()).stream()
                .filter(l -> l.id().equals(billed.lineId()))
                .findFirst()
                .orElseThrow();
        long creditedBefore = invoices.creditedMinor(invoice.id());
        Optional<CreditNoteDao.LineCredited> lineCredited =
                handle.attach(CreditNoteDao.class).creditedLines(invoice.id()).stream()
                        .filter(c -> c.invoiceLineId().equals(line.id()))
                        .findFirst();
        Optional<LateUsageCredit.Credit> credit = LateUsageCredit.of(
                lowering,
                new LateUsageCredit.Line(
                        line.unitAmount(),
                        line.quantity(),
                        line.amountMinor(),
                        lineCredited.map(CreditNoteDao.LineCredited::quantity).orElse(BigDecimal.ZERO),
                        lineCredited
                                .map(CreditNoteDao.LineCredited::amountMinor)
                                .orElse(0L),
                        invoice.totalMinor() - creditedBefore));
        if (credit.isEmpty()) {
            return Optional.empty();
        }
        LateUsageCredit.Credit c = credit.get();
        CreditNote note = writer.write(
                handle,
                invoice,
                creditedBefore,
                new CreditNoteWriter.Issue(
                        CreditNoteReason.USAGE_CORRECTED,
                        CreditNoteOutcome.CREDIT,
                        memo,
                        c.amountMinor(),
                        c.byLine()
                                ? List.of(new CreditAmounts.Credited(line.id(), c.quantity(), c.amountMinor()))
                                : List.of(),
                        new CreditNoteWriter.UsageCorrection(
                                line.id(),
                                c.quantity(),
                                planned == null ? null : planned.plannedKey(),
                                planned == null ? null : planned.quantity(),
                                planned == null ? 0 : planned.eventCount())),
                now);
        return Optional.of(new Corrected(note, line.id(), c));
    }

    /**
     * The start of {@code handle}'s transaction ({@code now()}): the instant late-usage notes are issued at, which is
     * also the {@code created_at} of the invoices the transaction writes, so a replay of those invoices counts the
     * notes as issued before them (the lineage's {@code CREDITED_BEFORE}).
     */
    public static Instant transactionStart(Handle handle) {
        return handle.createQuery("SELECT now()")
                .mapTo(OffsetDateTime.class)
                .one()
                .toInstant();
    }

    /** Whether {@code invoice} takes a credit note: issued (open, paid or uncollectible; not a draft, not void). */
    private static boolean takesCreditNotes(Invoice invoice) {
        return InvoiceStatus.FINALIZED.is(invoice.status())
                || InvoiceStatus.PAID.is(invoice.status())
                || InvoiceStatus.UNCOLLECTIBLE.is(invoice.status());
    }

    /** The note's memo: which usage it corrects (a feature key is at most 128 characters: within V29's 500). */
    static String memo(String feature, UsagePeriod period) {
        return "Usage of " + feature + " in [" + period.start() + ", " + period.end()
                + ") lowered after it was invoiced";
    }
}
