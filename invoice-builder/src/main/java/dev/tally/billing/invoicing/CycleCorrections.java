package dev.tally.billing.invoicing;

import dev.tally.billing.creditnote.LateUsageCredit;
import dev.tally.billing.creditnote.UsageCorrections;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.planning.CreditedAdjustment;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.tenant.Organization;
import dev.tally.billing.tenant.TenantDao;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The billing cycle's part of late usage as credit notes, in the bill's transaction: when the subscription's
 * organization credits late usage ({@code lateUsageCreditNotes}), each planned adjustment that lowers a usage span
 * an issued invoice billed becomes a {@code usage_corrected} credit note against that invoice ({@link
 * UsageCorrections}), in the adjustment's place under its key; what the note cannot take stays an adjustment line
 * (the key's next revision, {@link CreditedAdjustment}). The span's rows a note took whole are marked billed by it
 * (with the usage line it corrects); those of a remainder by the remainder's line, as any adjustment's.
 */
final class CycleCorrections {

    private CycleCorrections() {}

    /** The plan left to write, and what the notes credited to the customer's balance (for this invoice's credit). */
    record Result(InvoicePlan plan, long balanceCreditMinor) {}

    static Result apply(
            Handle handle,
            UsageCorrections corrections,
            Subscription subscription,
            InvoicePlan plan,
            LedgerUsage usage) {
        if (plan.lines().stream().noneMatch(CycleCorrections::lowersUsage)
                || !new TenantDao(handle)
                        .organization(subscription.organizationId())
                        .map(Organization::lateUsageCreditNotes)
                        .orElse(false)) {
            return new Result(plan, 0);
        }
        // the transaction's start: the instant this bill's invoice is created at, so a replay counts the notes
        Instant now = UsageCorrections.transactionStart(handle);
        LedgerDao ledger = new LedgerDao(handle);
        List<PlannedLine> lines = new ArrayList<>();
        long balanceCredit = 0;
        for (PlannedLine line : plan.lines()) {
            if (!lowersUsage(line)) {
                lines.add(line);
                continue;
            }
            LateUsageCredit.Lowering lowering = new LateUsageCredit.Lowering(
                    line.adjusts().quantity().subtract(line.quantity()).max(BigDecimal.ZERO), -line.amountMinor());
            Optional<UsageCorrections.Corrected> corrected = corrections.creditSpan(
                    handle,
                    subscription.id(),
                    line.adjusts().key(),
                    line.featureKey(),
                    PlannedLines.period(line.span()),
                    lowering,
                    new UsageCorrections.Planned(line.key(), line.quantity(), line.eventCount()),
                    now);
            if (corrected.isEmpty()) {
                lines.add(line);
                continue;
            }
            UsageCorrections.Corrected c = corrected.get();
            balanceCredit += c.note().balanceCreditMinor();
            Optional<PlannedLine> remainder =
                    CreditedAdjustment.remainder(line, c.credit().amountMinor(), plan.currency());
            if (remainder.isPresent()) {
                lines.add(remainder.get());
            } else {
                ledger.markCredited(
                        usage.unbilledRows(line.itemId(), line.priceId(), line.span()),
                        c.lineId(),
                        c.note().id());
            }
        }
        return new Result(new InvoicePlan(plan.currency(), plan.asOf(), lines), balanceCredit);
    }

    /** A usage adjustment of a negative amount: a span that went down after it was billed. */
    private static boolean lowersUsage(PlannedLine line) {
        return line.kind() == PlannedLine.Kind.ADJUSTMENT && line.featureKey() != null && line.amountMinor() < 0;
    }
}
