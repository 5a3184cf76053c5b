package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Closes a billing period of an organization (in one mode) in ONE transaction: every un-billed
 * ledger statement whose window starts before the period's end is billed, per customer with a
 * subscription, into one finalized invoice per currency; the statements are marked billed and an
 * {@code InvoiceEvent FINALIZED} per invoice is enqueued in the outbox. Closing the same period
 * again returns the invoices of the first close and creates nothing.
 *
 * <p>Each un-billed statement belongs to one period (see {@link #periodOf}): the period that
 * billed its window before, else the closed period its window starts in, else this one. This
 * period's windows, at their highest revisions and merged by aggregation, make the usage lines.
 * The windows of an earlier period make an adjustment line per feature and period: the period's
 * usage now (all its windows at their latest revisions) minus what was billed for it. Superseded
 * revisions are marked billed with the rest and never counted.
 *
 * <pre>
 *  closed:  [Nov ─────────────── Dec)   this close: [Dec ─────────────── Jan)
 *  windows:   w1 r0 ▪ (billed)                        w3 r0 ▪   w3 r1 ▪ (r1 counts)
 *             w1 r1 ▪ (restated) ─── adjustment of Nov on the January invoice
 *             w2 r0 ▪ (new, late) ─┘                                        ▪ (next period: left)
 * </pre>
 */
@Singleton
public final class PeriodClose {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final Topics topics;
    private final Clock clock;

    public PeriodClose(BillingDatabase database, BillingOutboxRelay relay, Topics topics) {
        this.database = database;
        this.relay = relay;
        this.topics = topics;
        this.clock = Clock.systemUTC();
    }

    /** What a close did: whether it created the period now, and the period's invoices. */
    public record Result(boolean created, List<Invoice> invoices) {}

    public Result close(String organizationId, boolean livemode, Instant start, Instant end) {
        if (!end.isAfter(start)) {
            throw BillingException.invalid("periodEnd", "periodEnd must be after periodStart");
        }
        Result result = database.jdbi().inTransaction(handle -> closeIn(handle, organizationId, livemode, start, end));
        if (result.created()) {
            relay.wakeUp();
        }
        return result;
    }

    /**
     * The period un-billed {@code row} belongs to: the one whose line billed its window before, else
     * the closed period its window starts in, else {@code current} (usage never billed, including
     * windows before the first closed period).
     */
    static UsagePeriod periodOf(
            LedgerEntry row, Map<String, UsagePeriod> billedPeriods, List<UsagePeriod> closed, UsagePeriod current) {
        UsagePeriod billed = billedPeriods.get(row.windowKey());
        if (billed != null) {
            return billed;
        }
        return closed.stream()
                .filter(p -> p.contains(row.windowStart()))
                .findFirst()
                .orElse(current);
    }

    private Result closeIn(Handle handle, String organizationId, boolean livemode, Instant start, Instant end) {
        BillingPeriodDao periods = new BillingPeriodDao(handle);
        InvoiceDao invoices = new InvoiceDao(handle);
        long nextNumber = periods.lockOrganization(organizationId)
                .orElseThrow(() -> BillingException.notFound("organization " + organizationId));
        var existing = periods.period(organizationId, livemode, start, end);
        if (existing.isPresent()) {
            return new Result(false, invoices.invoicesOfPeriod(existing.get()));
        }
        if (periods.overlaps(organizationId, livemode, start, end)) {
            throw new BillingException(
                    ErrorCode.PERIOD_OVERLAPS,
                    "[" + start + ", " + end + ") overlaps a period already closed",
                    "periodStart");
        }
        List<UsagePeriod> closed = periods.closedPeriods(organizationId, livemode);
        long periodId = periods.insertPeriod(organizationId, livemode, start, end);
        UsagePeriod current = new UsagePeriod(start, end);

        List<LedgerEntry> unbilled = new LedgerDao(handle).unbilledBefore(organizationId, livemode, end);
        Set<String> windowKeys = unbilled.stream().map(LedgerEntry::windowKey).collect(Collectors.toSet());
        Map<String, UsagePeriod> billedPeriods =
                new BilledUsageDao(handle).billedPeriods(organizationId, livemode, windowKeys);
        Map<String, Map<Statements.Group, List<LedgerEntry>>> groupsByCustomer = new TreeMap<>();
        for (LedgerEntry row : unbilled) {
            UsagePeriod period = periodOf(row, billedPeriods, closed, current);
            groupsByCustomer
                    .computeIfAbsent(row.customer(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(new Statements.Group(row.feature(), period), g -> new ArrayList<>())
                    .add(row);
        }
        Map<String, List<BillingPeriodDao.CustomerPrice>> pricesByCustomer = new LinkedHashMap<>();
        for (var price : periods.subscribedPrices(organizationId, livemode)) {
            pricesByCustomer
                    .computeIfAbsent(price.customerExternalId(), c -> new ArrayList<>())
                    .add(price);
        }
        Instant now = clock.instant();
        for (var customer : groupsByCustomer.entrySet()) {
            List<BillingPeriodDao.CustomerPrice> prices = pricesByCustomer.getOrDefault(customer.getKey(), List.of());
            Map<String, List<Rating.SubscribedPrice>> byCurrency = new TreeMap<>();
            for (var price : prices) {
                byCurrency
                        .computeIfAbsent(price.price().currency(), c -> new ArrayList<>())
                        .add(price.price());
            }
            for (var currency : byCurrency.entrySet()) {
                Statements statements = Statements.of(customer.getValue(), currency.getValue());
                if (statements.isEmpty()) {
                    continue;
                }
                Draft draft = new Draft(
                        Ids.next("inv"),
                        "INV-" + String.format("%06d", nextNumber++),
                        organizationId,
                        livemode,
                        prices.getFirst().customerId(),
                        customer.getKey(),
                        periodId,
                        currency.getKey(),
                        current);
                bill(handle, draft, currency.getValue(), statements, now);
            }
        }
        periods.setNextInvoiceNumber(organizationId, nextNumber);
        return new Result(true, invoices.invoicesOfPeriod(periodId));
    }

    private record Draft(
            String id,
            String number,
            String organizationId,
            boolean livemode,
            String customerId,
            String customerExternalId,
            long periodId,
            String currency,
            UsagePeriod period) {}

    private void bill(Handle handle, Draft d, List<Rating.SubscribedPrice> prices, Statements statements, Instant now) {
        InvoiceDao invoices = new InvoiceDao(handle);
        LedgerDao ledger = new LedgerDao(handle);
        BilledUsageDao billed = new BilledUsageDao(handle);
        List<Rating.Adjustment> adjustments = new ArrayList<>();
        for (Statements.Group group : statements.earlierPeriods(d.period())) {
            List<LedgerEntry> windows = new ArrayList<>(billed.billedStatements(
                    d.organizationId(), d.livemode(), d.customerExternalId(), group.feature(), group.period()));
            windows.addAll(statements.rows(group));
            adjustments.add(new Rating.Adjustment(
                    group.feature(),
                    group.period(),
                    billed.billedQuantity(d.customerId(), group.feature(), group.period()),
                    UsageMerge.merge(windows)));
        }
        invoices.insertDraft(
                d.id(),
                d.number(),
                d.organizationId(),
                d.livemode(),
                d.customerId(),
                d.periodId(),
                d.currency(),
                d.period().start(),
                d.period().end());
        List<Rating.RatedLine> lines = Rating.rate(
                d.currency(),
                d.period(),
                statements.usage(d.period()),
                adjustments,
                prices,
                billed.creditBalance(d.customerId(), d.currency()));
        for (Rating.RatedLine line : lines) {
            String lineId = Ids.next("il");
            invoices.insertLine(new InvoiceLine(
                    lineId,
                    d.id(),
                    line.kind(),
                    line.priceId(),
                    line.featureKey(),
                    line.quantity(),
                    line.unitAmount(),
                    line.amountMinor(),
                    line.usagePeriod(),
                    line.previousQuantity()));
            if (line.featureKey() != null) {
                ledger.markBilled(
                        statements.rows(new Statements.Group(line.featureKey(), line.usagePeriod())).stream()
                                .map(LedgerEntry::id)
                                .toList(),
                        lineId);
            }
        }
        long total = Rating.total(lines);
        invoices.finalizeDraft(d.id(), total, now);
        InvoiceEvent event = InvoiceEvent.newBuilder()
                .setEventId("invoice|" + d.id() + "|finalized")
                .setType(InvoiceEventType.FINALIZED)
                .setInvoiceId(d.id())
                .setInvoiceNumber(d.number())
                .setOrganizationId(d.organizationId())
                .setCustomerId(d.customerExternalId())
                .setLivemode(d.livemode())
                .setCurrency(d.currency())
                .setTotalMinor(total)
                .setPeriodStart(d.period().start())
                .setPeriodEnd(d.period().end())
                .setOccurredAt(now)
                .build();
        database.outbox().enqueue(handle, topics.invoiceEvents(), d.id(), event);
    }
}
