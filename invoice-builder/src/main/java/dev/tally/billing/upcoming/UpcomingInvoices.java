package dev.tally.billing.upcoming;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.invoicing.LedgerUsage;
import dev.tally.billing.invoicing.PlannedLines;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.schemas.rules.Currencies;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Drafts a customer's upcoming invoice, writing nothing: for each subscription of the chosen currency in force
 * now, the {@link InvoicePlanner} plans as of the end of its current period, as the billing cycle will when the
 * period ends (flat fees and prorations as it will bill them, the lines already invoiced subtracted), with the
 * usage of each span as of now ({@link UpcomingUsage}), and the customer's credit applied by the invoices' rule
 * ({@link CustomerCredit}) invoice after invoice, as the cycle will.
 *
 * <p>Three steps, so that a slow metering holds no database connection or transaction: read every fact in one
 * repeatable-read transaction ({@link UpcomingFacts}: one snapshot, so the credit balance and the invoiced
 * lines agree), give the handle back, ask metering (each call bounded by its client's timeout), then plan,
 * pure. What can change in between is harmless for a draft that writes nothing: a window that closes into the
 * ledger after the read is still in metering's live answer (its minutes are kept two days, its hours longer),
 * so it counts once; an invoice or credit written meanwhile shows in the next draft, as it would have a moment
 * later anyway. When one live query fails, the whole draft is planned from the ledger alone, so that it never
 * mixes the two readings.
 */
@Singleton
public final class UpcomingInvoices {

    private final BillingDatabase database;
    private final StoredPriceDefinitions definitions;
    private final LiveUsage live;
    private final Clock clock;

    public UpcomingInvoices(
            BillingDatabase database,
            StoredPriceDefinitions definitions,
            LiveUsage live,
            @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.definitions = definitions;
        this.live = live;
        this.clock = clock;
    }

    /**
     * The upcoming invoice of customer {@code reference} (its id or external id) of {@code key}'s organization
     * and mode, in {@code currency} (null: the customer's currency, else the one its subscriptions bill in).
     * Metering is asked with {@code authorization}, the caller's own key.
     *
     * @throws BillingException not found for no such customer; invalid ({@code currency}) when the subscriptions
     *     bill in several currencies and none is named
     */
    public UpcomingInvoiceView draft(ApiKeyPrincipal key, String authorization, String reference, String currency) {
        Instant now = clock.instant();
        UpcomingFacts facts = database.jdbi()
                .inTransaction(
                        TransactionIsolationLevel.REPEATABLE_READ,
                        handle -> UpcomingFacts.read(handle, definitions, key, reference, currency, now));
        Optional<Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>>> withLive =
                liveUsage(facts, authorization, now);
        List<Planned> plans = plan(facts, withLive.orElseGet(() -> ledgerOnly(facts)));
        return view(facts, plans, withLive.isPresent(), now);
    }

    /** A subscription's plan and the drafted usage it was planned with. */
    private record Planned(
            UpcomingFacts.SubscriptionFacts facts,
            InvoicePlan plan,
            Map<LedgerUsage.Request, UpcomingUsage.SpanUsage> usage) {}

    /** Every span's usage with metering's live part, by subscription id; empty if one query to metering failed. */
    private Optional<Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>>> liveUsage(
            UpcomingFacts facts, String authorization, Instant now) {
        Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>> usage = new HashMap<>();
        for (UpcomingFacts.SubscriptionFacts one : facts.subscriptions()) {
            UpcomingUsage spans =
                    new UpcomingUsage(live, authorization, one.subscription().customerExternalId(), now);
            Map<LedgerUsage.Request, UpcomingUsage.SpanUsage> own = new HashMap<>();
            for (var span : one.ledger().entrySet()) {
                LedgerUsage.Request request = span.getKey();
                Optional<UpcomingUsage.SpanUsage> drafted =
                        spans.usage(request.featureKey(), request.span(), span.getValue());
                if (drafted.isEmpty()) {
                    return Optional.empty();
                }
                own.put(request, drafted.get());
            }
            usage.put(one.subscription().id(), own);
        }
        return Optional.of(usage);
    }

    /** Every span's usage from the ledger alone, metering being unavailable. */
    private static Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>> ledgerOnly(UpcomingFacts facts) {
        Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>> usage = new HashMap<>();
        for (UpcomingFacts.SubscriptionFacts one : facts.subscriptions()) {
            Map<LedgerUsage.Request, UpcomingUsage.SpanUsage> own = new HashMap<>();
            one.ledger()
                    .forEach((request, ledger) -> own.put(
                            request, new UpcomingUsage.SpanUsage(ledger.usage(), UpcomingUsage.Live.UNAVAILABLE)));
            usage.put(one.subscription().id(), own);
        }
        return usage;
    }

    private static List<Planned> plan(
            UpcomingFacts facts, Map<String, Map<LedgerUsage.Request, UpcomingUsage.SpanUsage>> usage) {
        List<Planned> plans = new ArrayList<>();
        for (UpcomingFacts.SubscriptionFacts one : facts.subscriptions()) {
            Map<LedgerUsage.Request, UpcomingUsage.SpanUsage> own =
                    usage.get(one.subscription().id());
            InvoicePlan plan = InvoicePlanner.plan(
                    one.timeline(),
                    facts.currency(),
                    one.prices(),
                    (itemId, priceId, featureKey, span) -> {
                        UpcomingUsage.SpanUsage drafted = own.get(new LedgerUsage.Request(featureKey, span));
                        if (drafted == null) {
                            // the first planning, in the transaction, named every span the planner asks for
                            throw new IllegalStateException("span " + span + " of " + featureKey + " was not read");
                        }
                        return drafted.usage();
                    },
                    one.invoiced(),
                    one.planAt());
            plans.add(new Planned(one, plan, own));
        }
        return plans;
    }

    /**
     * The credit line each invoice of {@code subtotalsMinor} (in the order the cycle writes them) takes, for a
     * customer with {@code balanceMinor} of credit: {@link CustomerCredit}'s rule, invoice after invoice, each
     * with the balance the ones before it left (an invoice with no line takes none).
     */
    static List<Optional<CustomerCredit.Credit>> credits(List<Optional<Long>> subtotalsMinor, long balanceMinor) {
        List<Optional<CustomerCredit.Credit>> credits = new ArrayList<>();
        long balance = balanceMinor;
        for (Optional<Long> subtotal : subtotalsMinor) {
            long left = balance;
            Optional<CustomerCredit.Credit> credit = subtotal.flatMap(s -> CustomerCredit.of(s, left));
            credits.add(credit);
            // carried forward adds to the balance, applied (negative) takes from it
            balance = Math.addExact(
                    balance, credit.map(CustomerCredit.Credit::amountMinor).orElse(0L));
        }
        return credits;
    }

    private static UpcomingInvoiceView view(UpcomingFacts facts, List<Planned> plans, boolean liveAsked, Instant now) {
        String currency = facts.currency();
        int digits = currency == null ? 0 : Currencies.minorDigits(currency);
        List<Optional<CustomerCredit.Credit>> credits = credits(
                plans.stream()
                        .map(p -> p.plan().isEmpty()
                                ? Optional.<Long>empty()
                                : Optional.of(p.plan().totalMinor()))
                        .toList(),
                facts.creditBalanceMinor());
        List<UpcomingInvoiceView.Line> lines = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < plans.size(); i++) {
            Planned planned = plans.get(i);
            String subscriptionId = planned.facts().subscription().id();
            for (PlannedLine line : planned.plan().lines()) {
                InvoiceLine stored = PlannedLines.toInvoiceLine(
                        null,
                        null,
                        subscriptionId,
                        line,
                        planned.facts().prices().get(line.priceId()));
                UpcomingUsage.SpanUsage usage = line.featureKey() == null
                        ? null
                        : planned.usage().get(new LedgerUsage.Request(line.featureKey(), line.span()));
                lines.add(line(stored, subscriptionId, currency, digits, usage));
                total = Math.addExact(total, stored.amountMinor());
            }
            Optional<CustomerCredit.Credit> credit = credits.get(i);
            if (credit.isPresent()) {
                lines.add(line(credit.get().line(null, null, currency), subscriptionId, currency, digits, null));
                total = Math.addExact(total, credit.get().amountMinor());
            }
        }
        List<BillingPeriod> periods = facts.subscriptions().stream()
                .map(s -> s.timeline().periodAt(now))
                .toList();
        return new UpcomingInvoiceView(
                facts.customer().id(),
                currency,
                periods.stream()
                        .map(BillingPeriod::start)
                        .min(Comparator.naturalOrder())
                        .map(Instant::toString)
                        .orElse(null),
                periods.stream()
                        .map(BillingPeriod::end)
                        .max(Comparator.naturalOrder())
                        .map(Instant::toString)
                        .orElse(null),
                now.toString(),
                lines,
                total,
                BigDecimal.valueOf(total, digits).toPlainString(),
                liveAsked ? now.toString() : null,
                liveAsked ? "included" : "unavailable");
    }

    private static UpcomingInvoiceView.Line line(
            InvoiceLine line, String subscriptionId, String currency, int digits, UpcomingUsage.SpanUsage usage) {
        return new UpcomingInvoiceView.Line(
                line.kind().text(),
                InvoiceViews.description(line, currency),
                line.quantity().toPlainString(),
                line.amountMinor(),
                BigDecimal.valueOf(line.amountMinor(), digits).toPlainString(),
                line.usagePeriod() == null ? null : line.usagePeriod().start().toString(),
                line.usagePeriod() == null ? null : line.usagePeriod().end().toString(),
                line.priceId(),
                line.featureKey(),
                subscriptionId,
                usage == null ? null : usage.live().text());
    }
}
