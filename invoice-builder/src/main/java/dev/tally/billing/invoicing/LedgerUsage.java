package dev.tally.billing.invoicing;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.planning.Usage;
import dev.tally.billing.planning.UsageSource;
import dev.tally.billing.subscription.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The ledger's usage of one subscription's customer, as the planner asks for it: per usage span, the windows
 * starting in it ({@link SubscriptionInvoicingDao#usage}), each at its latest revision, merged by the meter's
 * aggregation ({@link UsageMerge}). It keeps the rows each span read, so that the lines billing a span mark
 * exactly those rows billed. Its requests and reading serve the upcoming invoice too, which drafts what this
 * bills.
 */
public final class LedgerUsage implements UsageSource {

    /** A span of one item at one price: what a usage line and its adjustments bill. */
    private record SpanKey(String itemId, String priceId, TimeSpan span) {}

    /** What the planner asks the ledger for: a feature's windows starting in a span. */
    public record Request(String featureKey, TimeSpan span) {}

    private final SubscriptionInvoicingDao dao;
    private final DistinctCounter distinct;
    private final Subscription subscription;
    private final Map<Request, List<LedgerEntry>> prefetched;
    private final Map<SpanKey, List<LedgerEntry>> read = new HashMap<>();

    LedgerUsage(SubscriptionInvoicingDao dao, DistinctCounter distinct, Subscription subscription) {
        this(dao, distinct, subscription, Map.of());
    }

    /**
     * The usage of {@code subscription}, answered from {@code prefetched} (the rows {@link #prefetch} read, in
     * the same transaction) for the requests it holds and from the ledger for any other.
     */
    LedgerUsage(
            SubscriptionInvoicingDao dao,
            DistinctCounter distinct,
            Subscription subscription,
            Map<Request, List<LedgerEntry>> prefetched) {
        this.dao = dao;
        this.distinct = distinct;
        this.subscription = subscription;
        this.prefetched = prefetched;
    }

    /**
     * The requests the planner makes of {@code plan}'s usage source: it asks once per usage span billable by
     * its {@code asOf} whatever the answers (see {@link UsageSource}), so that one planning with empty answers
     * names every request.
     */
    public static Set<Request> requestsOf(Consumer<UsageSource> plan) {
        Set<Request> requests = new LinkedHashSet<>();
        plan.accept((itemId, priceId, featureKey, span) -> {
            requests.add(new Request(featureKey, span));
            return Usage.NONE;
        });
        return requests;
    }

    /**
     * Reads, in one query per organization and mode, the rows {@link #usage} would read for each of {@code
     * requests} (by subscription id, of {@code subscriptions}): by subscription id, then request.
     */
    public static Map<String, Map<Request, List<LedgerEntry>>> prefetch(
            Handle handle, List<Subscription> subscriptions, Map<String, Set<Request>> requests) {
        Map<String, Map<Request, List<LedgerEntry>>> rows = new HashMap<>();
        Map<List<Object>, List<Subscription>> tenants = subscriptions.stream()
                .filter(s -> requests.containsKey(s.id()))
                .collect(Collectors.groupingBy(s -> List.of(s.organizationId(), s.livemode())));
        for (List<Subscription> tenant : tenants.values()) {
            List<String> ids = new ArrayList<>();
            List<String> customers = new ArrayList<>();
            List<String> features = new ArrayList<>();
            List<String> froms = new ArrayList<>();
            List<String> tos = new ArrayList<>();
            List<Request> asked = new ArrayList<>();
            for (Subscription subscription : tenant) {
                Map<Request, List<LedgerEntry>> own = rows.computeIfAbsent(subscription.id(), id -> new HashMap<>());
                for (Request request : requests.get(subscription.id())) {
                    own.put(request, new ArrayList<>());
                    ids.add(subscription.id());
                    customers.add(subscription.customerExternalId());
                    features.add(request.featureKey());
                    froms.add(request.span().from().toString());
                    tos.add(request.span().to().toString());
                    asked.add(request);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            Subscription first = tenant.getFirst();
            handle.createQuery("SELECT r.n, l.* FROM unnest(CAST(:ids AS text[]), CAST(:customers AS text[]),"
                            + " CAST(:features AS text[]), CAST(:froms AS text[]), CAST(:tos AS text[]))"
                            + " WITH ORDINALITY AS r(subscription, customer, feature, from_at, to_at, n)"
                            + " JOIN billing.usage_ledger l ON l.organization_id = :org AND l.livemode = :livemode"
                            + " AND l.customer = r.customer AND l.feature = r.feature"
                            + " AND l.window_start >= CAST(r.from_at AS timestamptz)"
                            + " AND l.window_start < CAST(r.to_at AS timestamptz)"
                            + " WHERE NOT EXISTS (SELECT 1 FROM billing.usage_ledger b"
                            + " JOIN billing.invoice_lines il ON il.id = b.invoice_line_id"
                            + " WHERE b.organization_id = l.organization_id AND b.livemode = l.livemode"
                            + " AND b.window_key = l.window_key AND il.subscription_id IS DISTINCT FROM r.subscription)"
                            + " ORDER BY r.n, l.id")
                    .bind("org", first.organizationId())
                    .bind("livemode", first.livemode())
                    .bindArray("ids", String.class, ids)
                    .bindArray("customers", String.class, customers)
                    .bindArray("features", String.class, features)
                    .bindArray("froms", String.class, froms)
                    .bindArray("tos", String.class, tos)
                    .map((rs, ctx) -> {
                        int n = (int) rs.getLong("n") - 1;
                        rows.get(ids.get(n)).get(asked.get(n)).add(LedgerDao.entry(rs));
                        return n;
                    })
                    .list();
        }
        return rows;
    }

    @Override
    public Usage usage(String itemId, String priceId, String featureKey, TimeSpan span) {
        List<LedgerEntry> known = prefetched.get(new Request(featureKey, span));
        List<LedgerEntry> rows = known != null
                ? known
                : dao.usage(
                        subscription.organizationId(),
                        subscription.livemode(),
                        subscription.customerExternalId(),
                        featureKey,
                        span.from(),
                        span.to(),
                        subscription.id());
        read.put(new SpanKey(itemId, priceId, span), rows);
        return usage(rows, distinct);
    }

    /** The usage of a span's ledger {@code rows} (as {@link #prefetch} reads them), as the planner rates it. */
    public static Usage usage(List<LedgerEntry> rows, DistinctCounter distinct) {
        if (rows.isEmpty()) {
            return Usage.NONE;
        }
        return new Usage(UsageMerge.merge(rows, distinct), UsageMerge.eventCount(rows));
    }

    /** The rows of the span the planner read that no line billed yet (none if it was not read). */
    List<Long> unbilledRows(String itemId, String priceId, TimeSpan span) {
        return read.getOrDefault(new SpanKey(itemId, priceId, span), List.of()).stream()
                .filter(row -> row.invoiceLineId() == null)
                .map(LedgerEntry::id)
                .toList();
    }
}
