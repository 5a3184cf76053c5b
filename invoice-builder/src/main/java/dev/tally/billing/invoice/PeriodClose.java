package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Closes a billing period of an organization (in one mode) in ONE transaction: every un-billed
 * ledger row whose window starts before the period's end (late rows of earlier periods included,
 * as adjustments) is rated, per customer with a subscription, into one finalized invoice per
 * currency with one line per subscribed price; the rows are marked billed and an
 * {@code InvoiceEvent FINALIZED} per invoice is enqueued in the outbox. Closing the same period
 * again returns the invoices of the first close and creates nothing.
 *
 * <pre>
 *  period:            [start ─────────────────────── end)
 *  ledger rows:   late ▪      ▪   ▪        ▪             ▪ (next period: left un-billed)
 *                 └────────── billed by this close ──┘
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
        long periodId = periods.insertPeriod(organizationId, livemode, start, end);
        Map<String, List<LedgerEntry>> rowsByCustomer = new TreeMap<>();
        for (LedgerEntry row : new LedgerDao(handle).unbilledBefore(organizationId, livemode, end)) {
            rowsByCustomer
                    .computeIfAbsent(row.customer(), c -> new ArrayList<>())
                    .add(row);
        }
        Map<String, List<BillingPeriodDao.CustomerPrice>> pricesByCustomer = new LinkedHashMap<>();
        for (var price : periods.subscribedPrices(organizationId, livemode)) {
            pricesByCustomer
                    .computeIfAbsent(price.customerExternalId(), c -> new ArrayList<>())
                    .add(price);
        }
        Instant now = clock.instant();
        for (var customer : rowsByCustomer.entrySet()) {
            List<BillingPeriodDao.CustomerPrice> prices = pricesByCustomer.getOrDefault(customer.getKey(), List.of());
            Map<String, List<Rating.SubscribedPrice>> byCurrency = new TreeMap<>();
            for (var price : prices) {
                byCurrency
                        .computeIfAbsent(price.price().currency(), c -> new ArrayList<>())
                        .add(price.price());
            }
            for (var currency : byCurrency.entrySet()) {
                if (!billsAnyRow(currency.getValue(), customer.getValue())) {
                    continue;
                }
                String customerId = prices.getFirst().customerId();
                String number = "INV-" + String.format("%06d", nextNumber++);
                bill(
                        handle,
                        new Draft(
                                Ids.next("inv"),
                                number,
                                organizationId,
                                livemode,
                                customerId,
                                periodId,
                                currency.getKey(),
                                start,
                                end),
                        currency.getValue(),
                        customer.getValue(),
                        now);
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
            long periodId,
            String currency,
            Instant start,
            Instant end) {}

    private static boolean billsAnyRow(List<Rating.SubscribedPrice> prices, List<LedgerEntry> rows) {
        return rows.stream()
                .anyMatch(row -> prices.stream().anyMatch(p -> p.featureKey().equals(row.feature())));
    }

    private void bill(
            Handle handle, Draft d, List<Rating.SubscribedPrice> prices, List<LedgerEntry> rows, Instant now) {
        InvoiceDao invoices = new InvoiceDao(handle);
        LedgerDao ledger = new LedgerDao(handle);
        Map<String, BigDecimal> usage = new TreeMap<>();
        Map<String, List<Long>> rowIdsByFeature = new TreeMap<>();
        for (LedgerEntry row : rows) {
            usage.merge(row.feature(), row.quantity(), BigDecimal::add);
            rowIdsByFeature
                    .computeIfAbsent(row.feature(), f -> new ArrayList<>())
                    .add(row.id());
        }
        invoices.insertDraft(
                d.id(),
                d.number(),
                d.organizationId(),
                d.livemode(),
                d.customerId(),
                d.periodId(),
                d.currency(),
                d.start(),
                d.end());
        List<Rating.RatedLine> lines = Rating.rate(usage, prices);
        for (Rating.RatedLine line : lines) {
            String lineId = Ids.next("il");
            invoices.insertLine(new InvoiceLine(
                    lineId,
                    d.id(),
                    line.priceId(),
                    line.featureKey(),
                    line.quantity(),
                    line.unitAmount(),
                    line.amountMinor()));
            ledger.markBilled(rowIdsByFeature.getOrDefault(line.featureKey(), List.of()), lineId);
        }
        long total = Rating.total(lines);
        invoices.finalizeDraft(d.id(), total, now);
        String customerExternalId = rows.getFirst().customer();
        InvoiceEvent event = InvoiceEvent.newBuilder()
                .setEventId("invoice|" + d.id() + "|finalized")
                .setType(InvoiceEventType.FINALIZED)
                .setInvoiceId(d.id())
                .setInvoiceNumber(d.number())
                .setOrganizationId(d.organizationId())
                .setCustomerId(customerExternalId)
                .setLivemode(d.livemode())
                .setCurrency(d.currency())
                .setTotalMinor(total)
                .setPeriodStart(d.start())
                .setPeriodEnd(d.end())
                .setOccurredAt(now)
                .build();
        database.outbox().enqueue(handle, topics.invoiceEvents(), d.id(), event);
    }
}
