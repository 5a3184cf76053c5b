package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.creditnote.LateUsageCredit;
import dev.tally.billing.creditnote.UsageCorrections;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.Usage;
import dev.tally.billing.tenant.Organization;
import dev.tally.billing.tenant.TenantDao;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Closes a billing period of an organization (in one mode) in ONE transaction: every un-billed
 * ledger statement whose window starts before the period's end (but those of windows the billing
 * cycle billed for a subscription, which it adjusts itself) is billed, per customer with a
 * subscription, into one finalized invoice per currency; the statements are marked billed and an
 * {@code InvoiceEvent FINALIZED} per invoice is enqueued in the outbox. Closing the same period
 * again returns the invoices of the first close and creates nothing, except for the customers the
 * first close could not invoice.
 *
 * <p>Usage is rated by the price's model ({@link CloseRating}, through the cycle's and the quote's
 * {@link dev.tally.billing.rating.PriceRater}): each feature's usage in the period is one rated period of
 * its price, free units, minimum and maximum included. The close bills usage only: flat (recurring or
 * one-time) fees are the billing cycle's.
 *
 * <p>Each customer is its own unit (a savepoint): a customer whose amounts do not fit the money
 * types (a rated amount beyond the {@code bigint} minor units), or whose UNIQUE_COUNT usage cannot be
 * counted exactly yet (a window's revision or part of one has not arrived), is reported in {@link
 * Result#failures()} with a reason code, its usage stays un-billed, and the others are invoiced.
 * Closing the same period again, once the cause is fixed (or the statement arrived), invoices that
 * customer once.
 *
 * <p>Each un-billed statement belongs to one period (see {@link #periodOf}): the period that
 * billed its window before, else the closed period its window starts in, else this one. This
 * period's windows, at their highest revisions and merged by aggregation, make the usage lines
 * (a UNIQUE_COUNT union is counted in SQL over the windows' stored values, each window's as of the
 * revision read here, so a restatement recorded meanwhile waits for the next close; and only once
 * every part of revisions 0..r of each window has arrived, see {@link ExactDistinctCounter}).
 * The windows of an earlier period make an adjustment line per feature and period: the rating of the
 * period's usage now (all its windows at their latest revisions), by the price that billed it, minus
 * the amount billed for it; its quantity is the difference of quantities. Superseded
 * revisions are marked billed with the rest and never counted.
 *
 * <pre>
 *  closed:  [Nov ─────────────── Dec)   this close: [Dec ─────────────── Jan)
 *  windows:   w1 r0 ▪ (billed)                        w3 r0 ▪   w3 r1 ▪ (r1 counts)
 *             w1 r1 ▪ (restated) ─── adjustment of Nov on the January invoice
 *             w2 r0 ▪ (new, late) ─┘                                        ▪ (next period: left)
 * </pre>
 *
 * <p>When the organization credits late usage ({@code lateUsageCreditNotes}), an adjustment that would lower an
 * earlier period (a negative amount) is credited instead by a {@code usage_corrected} credit note against the
 * invoice whose usage line billed that period ({@link UsageCorrections}, in this transaction), for exactly that
 * amount up to what the note can take; the period's rows are then billed by the note (marked with the line it
 * corrects and the note), and only a remainder stays an adjustment line. The customer's invoice is rated again
 * with the notes counted as billed and the credit they put on its balance.
 */
@Singleton
public final class PeriodClose {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final InvoiceIssuer issuer;
    private final StoredPriceDefinitions definitions;
    private final UsageCorrections corrections;
    private final Clock clock;

    public PeriodClose(
            BillingDatabase database, BillingOutboxRelay relay, Topics topics, StoredPriceDefinitions definitions) {
        this.database = database;
        this.relay = relay;
        this.issuer = new InvoiceIssuer(database, topics);
        this.definitions = definitions;
        this.corrections = new UsageCorrections(database.outbox(), topics);
        this.clock = Clock.systemUTC();
    }

    /**
     * What a close did: whether it created the period now, the period's invoices, and the customers
     * whose invoice could not be built (still un-invoiced; closing the period again retries them).
     */
    public record Result(boolean created, List<Invoice> invoices, List<CloseFailure> failures) {}

    public Result close(String organizationId, boolean livemode, Instant requestedStart, Instant requestedEnd) {
        // PostgreSQL keeps microseconds: the period is compared with the stored one, so it is
        // taken at that precision (a nanosecond bound would never equal its stored self)
        Instant start = requestedStart.truncatedTo(ChronoUnit.MICROS);
        Instant end = requestedEnd.truncatedTo(ChronoUnit.MICROS);
        if (!end.isAfter(start)) {
            throw BillingException.invalid("periodEnd", "periodEnd must be after periodStart");
        }
        Result result = database.jdbi().inTransaction(handle -> closeIn(handle, organizationId, livemode, start, end));
        if (result.created() || !result.invoices().isEmpty()) {
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
        CloseFailureDao failures = handle.attach(CloseFailureDao.class);
        InvoiceCounterDao.Counter counter = periods.lockOrganization(organizationId, livemode)
                .orElseThrow(() -> BillingException.notFound("organization " + organizationId));
        long nextNumber = counter.nextNumber();
        boolean creditLateUsage = new TenantDao(handle)
                .organization(organizationId)
                .map(Organization::lateUsageCreditNotes)
                .orElse(false);
        UsagePeriod current = new UsagePeriod(start, end);
        var existing = periods.period(organizationId, livemode, start, end);
        if (existing.isPresent()) {
            long periodId = existing.get();
            Set<String> failed = failures.failures(periodId).stream()
                    .map(CloseFailure::customerExternalId)
                    .collect(Collectors.toSet());
            if (!failed.isEmpty()) {
                billCustomers(
                        handle,
                        new Close(organizationId, livemode, periodId, current, counter, creditLateUsage),
                        nextNumber,
                        failed::contains);
            }
            return new Result(false, invoices.invoicesOfPeriod(periodId), failures.failures(periodId));
        }
        if (periods.overlaps(organizationId, livemode, start, end)) {
            throw new BillingException(
                    ErrorCode.PERIOD_OVERLAPS,
                    "[" + start + ", " + end + ") overlaps a period already closed",
                    "periodStart");
        }
        long periodId = periods.insertPeriod(organizationId, livemode, start, end);
        billCustomers(
                handle,
                new Close(organizationId, livemode, periodId, current, counter, creditLateUsage),
                nextNumber,
                customer -> true);
        return new Result(true, invoices.invoicesOfPeriod(periodId), failures.failures(periodId));
    }

    /**
     * The period being closed, the invoice counter of its organization and mode (locked), and whether the
     * organization credits late usage by credit notes.
     */
    private record Close(
            String organizationId,
            boolean livemode,
            long periodId,
            UsagePeriod period,
            InvoiceCounterDao.Counter counter,
            boolean creditLateUsage) {}

    /**
     * Invoices every customer {@code included} with un-billed usage, each on its own (see {@link
     * #billCustomer}), and moves the organization's invoice counter past the invoices made.
     */
    private void billCustomers(Handle handle, Close close, long nextNumber, Predicate<String> included) {
        BillingPeriodDao periods = new BillingPeriodDao(handle);
        String organizationId = close.organizationId();
        boolean livemode = close.livemode();
        // the other closed periods: this one is not "closed before" for its own statements
        List<UsagePeriod> closed = periods.closedPeriods(organizationId, livemode).stream()
                .filter(period -> !period.equals(close.period()))
                .toList();
        List<LedgerEntry> unbilled = new LedgerDao(handle)
                .unbilledBefore(organizationId, livemode, close.period().end()).stream()
                        .filter(row -> included.test(row.customer()))
                        .toList();
        Set<String> windowKeys = unbilled.stream().map(LedgerEntry::windowKey).collect(Collectors.toSet());
        Map<String, UsagePeriod> billedPeriods =
                new BilledUsageDao(handle).billedPeriods(organizationId, livemode, windowKeys);
        Map<String, Map<CloseRating.Group, List<LedgerEntry>>> groupsByCustomer = new TreeMap<>();
        for (LedgerEntry row : unbilled) {
            UsagePeriod period = periodOf(row, billedPeriods, closed, close.period());
            groupsByCustomer
                    .computeIfAbsent(row.customer(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(new CloseRating.Group(row.feature(), period), g -> new ArrayList<>())
                    .add(row);
        }
        Map<String, List<BillingPeriodDao.CustomerPrice>> pricesByCustomer = new LinkedHashMap<>();
        for (var price : periods.subscribedPrices(organizationId, livemode)) {
            pricesByCustomer
                    .computeIfAbsent(price.customerExternalId(), c -> new ArrayList<>())
                    .add(price);
        }
        long next = nextNumber;
        for (var customer : groupsByCustomer.entrySet()) {
            List<BillingPeriodDao.CustomerPrice> prices = pricesByCustomer.get(customer.getKey());
            if (prices != null) {
                next = billCustomer(handle, close, customer.getKey(), customer.getValue(), prices, next);
            }
        }
        periods.setNextInvoiceNumber(organizationId, livemode, next);
    }

    /**
     * Invoices one customer (one invoice per currency) as its own unit (see {@link CustomerUnit}).
     * Returns the next invoice number (unchanged after a failure, so numbering has no gaps).
     */
    private long billCustomer(
            Handle handle,
            Close close,
            String customerExternalId,
            Map<CloseRating.Group, List<LedgerEntry>> groups,
            List<BillingPeriodDao.CustomerPrice> prices,
            long nextNumber) {
        return CustomerUnit.run(
                handle,
                close.organizationId(),
                close.periodId(),
                customerExternalId,
                nextNumber,
                () -> billCurrencies(handle, close, customerExternalId, groups, prices, nextNumber));
    }

    /** Loads what rating the customer needs, rates it ({@link CloseRating}) and writes one invoice per currency. */
    private long billCurrencies(
            Handle handle,
            Close close,
            String customerExternalId,
            Map<CloseRating.Group, List<LedgerEntry>> groups,
            List<BillingPeriodDao.CustomerPrice> prices,
            long nextNumber) {
        String customerId = prices.getFirst().customerId();
        CloseRating.CustomerUsage usage = usageOf(handle, close, customerExternalId, customerId, groups, prices);
        SortedMap<String, List<CloseRating.RatedLine>> rated = CloseRating.rate(usage, creditOf(handle, customerId));
        Map<CloseRating.Group, UsageCorrections.Corrected> corrected = Map.of();
        if (close.creditLateUsage()) {
            corrected = creditLowerings(handle, customerId, rated);
            if (!corrected.isEmpty()) {
                rated = CloseRating.rate(lessCorrected(usage, corrected), creditOf(handle, customerId));
            }
        }
        Instant now = clock.instant();
        long next = nextNumber;
        for (var invoice : rated.entrySet()) {
            Draft draft = new Draft(
                    Ids.next("inv"),
                    close.counter().number(now, next++),
                    close.organizationId(),
                    close.livemode(),
                    customerId,
                    customerExternalId,
                    close.periodId(),
                    invoice.getKey(),
                    close.period());
            write(handle, draft, withoutCredited(invoice.getValue(), corrected), groups, corrected, now);
        }
        return next;
    }

    private static Map<String, Long> creditOf(Handle handle, String customerId) {
        return new BilledUsageDao(handle).creditBalances(List.of(customerId)).getOrDefault(customerId, Map.of());
    }

    /**
     * Credits each earlier period {@code rated} would lower (a negative adjustment) by a credit note ({@link
     * UsageCorrections}), issued at the transaction's start: the instant this close's invoices are created at.
     */
    private Map<CloseRating.Group, UsageCorrections.Corrected> creditLowerings(
            Handle handle, String customerId, SortedMap<String, List<CloseRating.RatedLine>> rated) {
        Map<CloseRating.Group, UsageCorrections.Corrected> corrected = new LinkedHashMap<>();
        Instant transactionStart = null;
        for (List<CloseRating.RatedLine> lines : rated.values()) {
            for (CloseRating.RatedLine line : lines) {
                if (line.kind() != LineKind.ADJUSTMENT || line.amountMinor() >= 0) {
                    continue;
                }
                if (transactionStart == null) {
                    transactionStart = UsageCorrections.transactionStart(handle);
                }
                CloseRating.Group group = new CloseRating.Group(line.featureKey(), line.usagePeriod());
                LateUsageCredit.Lowering lowering = new LateUsageCredit.Lowering(
                        line.quantity().negate().max(BigDecimal.ZERO), -line.amountMinor());
                corrections
                        .credit(handle, customerId, group.feature(), group.period(), lowering, transactionStart)
                        .ifPresent(c -> corrected.put(group, c));
            }
        }
        return corrected;
    }

    /** {@code usage} with what the credit notes of {@code corrected} took off each period counted as billed. */
    private static CloseRating.CustomerUsage lessCorrected(
            CloseRating.CustomerUsage usage, Map<CloseRating.Group, UsageCorrections.Corrected> corrected) {
        Map<CloseRating.Group, CloseRating.Billed> billed = new LinkedHashMap<>(usage.billed());
        corrected.forEach((group, c) -> billed.put(
                group,
                billed.getOrDefault(group, CloseRating.Billed.NOTHING)
                        .less(new CloseRating.Billed(
                                null, c.credit().quantity(), c.credit().amountMinor()))));
        return new CloseRating.CustomerUsage(
                usage.period(), usage.subscribed(), usage.usage(), billed, usage.billedPrices());
    }

    /**
     * {@code lines} without the adjustments a credit note took whole (nothing left of their amount or quantity):
     * their rows are billed by the note.
     */
    private static List<CloseRating.RatedLine> withoutCredited(
            List<CloseRating.RatedLine> lines, Map<CloseRating.Group, UsageCorrections.Corrected> corrected) {
        return lines.stream().filter(line -> !creditedWhole(line, corrected)).toList();
    }

    private static boolean creditedWhole(
            CloseRating.RatedLine line, Map<CloseRating.Group, UsageCorrections.Corrected> corrected) {
        return line.kind() == LineKind.ADJUSTMENT
                && corrected.containsKey(new CloseRating.Group(line.featureKey(), line.usagePeriod()))
                && line.amountMinor() == 0
                && line.quantity().signum() == 0;
    }

    /**
     * The customer's usage as {@link CloseRating} rates it: its subscribed prices, and the usage of each of
     * its groups a price may rate (its feature is subscribed, or an earlier close billed that period): the
     * closed period's windows at their highest revisions, merged by aggregation; for an earlier period, all
     * its windows, billed or not, at their latest revisions, with what the close billed for it.
     */
    private CloseRating.CustomerUsage usageOf(
            Handle handle,
            Close close,
            String customerExternalId,
            String customerId,
            Map<CloseRating.Group, List<LedgerEntry>> groups,
            List<BillingPeriodDao.CustomerPrice> prices) {
        BilledUsageDao billedUsage = new BilledUsageDao(handle);
        DistinctCounter distinct = new ExactDistinctCounter(
                handle.attach(WindowValuesDao.class), close.organizationId(), close.livemode());
        List<CloseRating.Price> subscribed =
                prices.stream().map(p -> price(p.price())).toList();
        Set<String> features =
                subscribed.stream().map(CloseRating.Price::featureKey).collect(Collectors.toSet());
        Map<CloseRating.Group, Usage> usage = new LinkedHashMap<>();
        Map<CloseRating.Group, CloseRating.Billed> billed = new LinkedHashMap<>();
        for (var group : groups.entrySet()) {
            CloseRating.Group key = group.getKey();
            List<LedgerEntry> windows = new ArrayList<>(group.getValue());
            if (!key.period().equals(close.period())) {
                Optional<CloseRating.Billed> before = billedUsage.billed(customerId, key.feature(), key.period());
                before.ifPresent(b -> billed.put(key, b));
                if (before.isEmpty() && !features.contains(key.feature())) {
                    continue;
                }
                windows.addAll(billedUsage.billedStatements(
                        close.organizationId(), close.livemode(), customerExternalId, key.feature(), key.period()));
            } else if (!features.contains(key.feature())) {
                continue;
            }
            usage.put(key, new Usage(UsageMerge.merge(windows, distinct), UsageMerge.eventCount(windows)));
        }
        Set<String> billedPriceIds =
                billed.values().stream().map(CloseRating.Billed::priceId).collect(Collectors.toSet());
        Map<String, CloseRating.Price> billedPrices = new HashMap<>();
        new BillingPeriodDao(handle)
                .usagePrices(close.organizationId(), close.livemode(), billedPriceIds)
                .forEach(stored -> billedPrices.put(stored.id(), price(stored)));
        return new CloseRating.CustomerUsage(close.period(), subscribed, usage, billed, billedPrices);
    }

    private CloseRating.Price price(BillingPeriodDao.StoredPrice stored) {
        return new CloseRating.Price(
                stored.id(), stored.featureKey(), definitions.read(stored.id(), stored.definition()));
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

    /**
     * Writes one invoice of {@code lines}; each usage or adjustment line marks its group's un-billed rows billed, and
     * each group of the invoice's currency a credit note of {@code corrected} took whole marks them billed by that
     * note.
     */
    private void write(
            Handle handle,
            Draft d,
            List<CloseRating.RatedLine> lines,
            Map<CloseRating.Group, List<LedgerEntry>> groups,
            Map<CloseRating.Group, UsageCorrections.Corrected> corrected,
            Instant now) {
        LedgerDao ledger = new LedgerDao(handle);
        InvoiceIssuer.Writing invoice = issuer.open(
                handle,
                new InvoiceDraft(
                        d.id(),
                        d.number(),
                        d.organizationId(),
                        d.livemode(),
                        d.customerId(),
                        d.customerExternalId(),
                        d.periodId(),
                        null,
                        d.currency(),
                        d.period()));
        for (CloseRating.RatedLine line : lines) {
            String lineId = Ids.next("il");
            invoice.add(new InvoiceLine(
                    lineId,
                    d.id(),
                    line.kind(),
                    line.priceId(),
                    line.featureKey(),
                    line.quantity(),
                    line.unitAmount(),
                    line.amountMinor(),
                    line.usagePeriod(),
                    line.previousQuantity(),
                    line.eventCount(),
                    null,
                    null));
            if (line.featureKey() != null) {
                ledger.markBilled(
                        groups
                                .getOrDefault(new CloseRating.Group(line.featureKey(), line.usagePeriod()), List.of())
                                .stream()
                                .map(LedgerEntry::id)
                                .toList(),
                        lineId);
            }
        }
        Set<CloseRating.Group> written = lines.stream()
                .filter(line -> line.featureKey() != null)
                .map(line -> new CloseRating.Group(line.featureKey(), line.usagePeriod()))
                .collect(Collectors.toSet());
        corrected.forEach((group, c) -> {
            if (!written.contains(group) && c.note().currency().equals(d.currency())) {
                ledger.markCredited(
                        groups.getOrDefault(group, List.of()).stream()
                                .map(LedgerEntry::id)
                                .toList(),
                        c.lineId(),
                        c.note().id());
            }
        });
        invoice.finish(now);
    }
}
