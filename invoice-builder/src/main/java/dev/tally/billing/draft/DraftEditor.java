package dev.tally.billing.draft;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.Ids;
import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceController;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceStatus;
import dev.tally.billing.invoice.InvoiceTransitions;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.OneOffLine;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The edits of a draft the API asks for: add a one-off line, remove one, change its memo, footer and
 * {@code autoFinalizeAt}. Each locks the invoice (so an edit and its finalization, by a call or by the worker,
 * run one after the other: the later one sees the other's result), answers 409 with its status if it is no
 * longer a draft, makes the change, and recomputes the draft's credit line and total ({@link DraftEditing})
 * under the customer's lock, in one transaction.
 */
@Singleton
public final class DraftEditor {

    private final BillingDatabase database;
    private final Clock clock;

    public DraftEditor(BillingDatabase database, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A one-off line to add: what it bills, how many and at what unit amount (in the invoice's currency). */
    public record NewLine(String description, BigDecimal quantity, BigDecimal unitAmount) {}

    /** A change of a draft's fields: each {@code Optional} empty stays as it is; a present null clears it. */
    public record FieldsChange(
            Optional<Optional<String>> memo,
            Optional<Optional<String>> footer,
            Optional<Optional<Instant>> autoFinalizeAt) {}

    /** Adds {@code line} after the draft's other lines (and before its credit). */
    public InvoiceViews.InvoiceView addLine(InvoiceTransitions.Target target, NewLine line) {
        return edit(target, "edited", (handle, invoice) -> {
            InvoiceLine oneOff;
            try {
                oneOff = OneOffLine.of(
                        Ids.next("il"),
                        invoice.id(),
                        line.description(),
                        line.quantity(),
                        line.unitAmount(),
                        invoice.currency());
            } catch (ArithmeticException tooLarge) {
                throw BillingException.invalid(
                        "unitAmount", "quantity × unitAmount does not fit an invoice amount in " + invoice.currency());
            }
            new InvoiceDao(handle)
                    .insertLine(oneOff, handle.attach(DraftDao.class).nextLineNumber(invoice.id()));
        });
    }

    /** Removes one-off line {@code lineId} of the draft. */
    public InvoiceViews.InvoiceView removeLine(InvoiceTransitions.Target target, String lineId) {
        return edit(target, "edited", (handle, invoice) -> {
            InvoiceLine line = new InvoiceDao(handle)
                    .lines(invoice.id()).stream()
                            .filter(candidate -> candidate.id().equals(lineId))
                            .findFirst()
                            .orElseThrow(() -> BillingException.invalid(
                                    "line", "line " + lineId + " is not a line of invoice " + invoice.id()));
            if (line.kind() != LineKind.ONE_OFF) {
                throw BillingException.invalid(
                        "line",
                        "line " + lineId + " is a " + line.kind().text()
                                + " line: only one-off lines can be removed (the others are what the usage and"
                                + " the subscription bill)");
            }
            handle.attach(DraftDao.class).deleteLine(invoice.id(), lineId);
        });
    }

    /** Changes the draft's memo, footer and automatic finalization. */
    public InvoiceViews.InvoiceView changeFields(InvoiceTransitions.Target target, FieldsChange change) {
        return edit(target, "edited", (handle, invoice) -> {
            Instant at = change.autoFinalizeAt().isPresent()
                    ? change.autoFinalizeAt().get().orElse(null)
                    : invoice.autoFinalizeAt();
            if (change.autoFinalizeAt().isPresent() && at != null) {
                Instant now = clock.instant();
                if (at.isBefore(now) || at.isAfter(now.plus(AutoFinalizeDelay.MAX))) {
                    throw BillingException.invalid(
                            "autoFinalizeAt",
                            "autoFinalizeAt must be from now (" + now + ") to 30 days later; to finalize now, POST"
                                    + " /v1/invoices/" + invoice.id() + "/finalize");
                }
            }
            handle.attach(DraftDao.class)
                    .setFields(
                            invoice.id(),
                            change.memo().isPresent() ? change.memo().get().orElse(null) : invoice.memo(),
                            change.footer().isPresent() ? change.footer().get().orElse(null) : invoice.footer(),
                            at);
        });
    }

    private interface Change {
        /** Changes draft {@code invoice} (locked), or throws. */
        void apply(Handle handle, Invoice invoice);
    }

    private InvoiceViews.InvoiceView edit(InvoiceTransitions.Target target, String asked, Change change) {
        return database.jdbi().inTransaction(handle -> {
            InvoiceDao invoices = new InvoiceDao(handle);
            Invoice invoice = invoices.invoiceForUpdate(target.organizationId(), target.livemode(), target.invoiceId())
                    .orElseThrow(() -> BillingException.notFound("invoice " + target.invoiceId()));
            if (!InvoiceStatus.DRAFT.is(invoice.status())) {
                throw InvoiceTransitions.notADraft(invoice, asked);
            }
            change.apply(handle, invoice);
            recompute(handle, invoice);
            Invoice edited = invoices.invoice(target.organizationId(), target.livemode(), target.invoiceId())
                    .orElseThrow();
            return InvoiceController.view(handle, edited, clock.instant());
        });
    }

    /** Rewrites the draft's credit line (when it changes) and total from its lines as they now are. */
    private static void recompute(Handle handle, Invoice invoice) {
        DraftDao drafts = handle.attach(DraftDao.class);
        InvoiceDao invoices = new InvoiceDao(handle);
        drafts.lockCustomer(invoice.customerId());
        List<InvoiceLine> lines = invoices.lines(invoice.id());
        long balance = new BilledUsageDao(handle).creditBalance(invoice.customerId(), invoice.currency());
        DraftEditing.Recomputed recomputed = DraftEditing.recompute(lines, balance);
        List<InvoiceLine> credits =
                lines.stream().filter(line -> line.kind().isCredit()).toList();
        List<CustomerCredit.Credit> current = credits.stream()
                .map(line -> new CustomerCredit.Credit(line.kind(), line.amountMinor()))
                .toList();
        // an unchanged credit line is kept, with its id
        if (!current.equals(recomputed.credit().stream().toList())) {
            credits.forEach(line -> drafts.deleteLine(invoice.id(), line.id()));
            recomputed
                    .credit()
                    .ifPresent(credit -> invoices.insertLine(
                            credit.line(Ids.next("il"), invoice.id(), invoice.currency()),
                            drafts.nextLineNumber(invoice.id())));
        }
        drafts.setTotal(invoice.id(), recomputed.totalMinor());
    }
}
