package dev.tally.billing.draft;

import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.InvoiceIssuer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * How the billing cycle issues the drafts it wrote ({@link InvoiceIssuer#draftAll}): by each organization's
 * {@link AutoFinalizeDelay}, a draft stays editable with its {@code autoFinalizeAt} (written {@code now} plus the
 * delay) for the draft finalization worker to finalize then, or, with a zero delay, is finalized at once as
 * before ({@link InvoiceIssuer#finalizeAll}). The manual period close does not come here: closing a period is an
 * explicit call, and it finalizes what it writes.
 */
public final class DraftIssuing {

    private DraftIssuing() {}

    /** Finalizes or schedules {@code invoices} (drafts written in this transaction) at {@code now}. */
    public static void finalizeOrSchedule(
            InvoiceIssuer issuer, Handle handle, List<InvoiceIssuer.Issue> invoices, Instant now) {
        if (invoices.isEmpty()) {
            return;
        }
        DraftDao drafts = handle.attach(DraftDao.class);
        Map<String, AutoFinalizeDelay> delays = new HashMap<>();
        drafts.delays(invoices.stream()
                        .map(i -> i.draft().organizationId())
                        .distinct()
                        .toList())
                .forEach(d -> delays.put(d.id(), AutoFinalizeDelay.ofSeconds(d.autoFinalizeDelaySeconds())));
        List<InvoiceIssuer.Issue> atOnce = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (InvoiceIssuer.Issue invoice : invoices) {
            AutoFinalizeDelay delay = delays.getOrDefault(invoice.draft().organizationId(), AutoFinalizeDelay.DEFAULT);
            if (delay.isImmediate()) {
                atOnce.add(invoice);
            } else {
                ids.add(invoice.draft().id());
                totals.add(invoice.totalMinor());
                at.add(delay.after(now).toString());
            }
        }
        if (!ids.isEmpty()) {
            drafts.schedule(ids, totals, at);
        }
        // last: from here to the commit the organizations' invoice counters are locked
        issuer.finalizeAll(handle, atOnce, now);
    }
}
