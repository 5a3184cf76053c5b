package dev.tally.billing.entitlement;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.invoicing.LedgerUsage;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.upcoming.LiveUsage;
import dev.tally.billing.upcoming.UpcomingUsage;
import dev.tally.billing.web.ApiKeyPrincipal;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Customers' entitlements: kept per customer and feature, and answered as of now. A metered entitlement's usage is
 * its current period's, counted as the upcoming invoice counts it ({@link UpcomingUsage}): the ledger's windows
 * read in one snapshot, the connection released, then metering's live minutes after them, so an event metering
 * has counted is in the answer before its window closes. When metering cannot answer, the ledger's usage alone,
 * said so ({@code liveUsage: unavailable}).
 */
@Singleton
public final class Entitlements {

    private final BillingDatabase database;
    private final LiveUsage live;
    private final Clock clock;

    public Entitlements(BillingDatabase database, LiveUsage live, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.live = live;
        this.clock = clock;
    }

    /** A value with how much of metering's live usage it holds (null for an entitlement that counts no usage). */
    public record Answer(EntitlementValue value, Customer customer, Instant asOf, UpcomingUsage.Live live) {}

    /**
     * Creates {@code request} for customer {@code reference} (its id or external id).
     *
     * @throws BillingException not found (no such customer), 409 (archived customer; an entitlement to that
     *     feature exists), 400 naming {@code feature} (metered, but no active meter counts it)
     */
    public Entitlement create(ApiKeyPrincipal key, String reference, EntitlementRequest request) {
        return database.jdbi().inTransaction(handle -> {
            Customer customer = customer(handle, key, reference);
            if (customer.archived()) {
                throw new BillingException(
                        ErrorCode.CUSTOMER_ARCHIVED,
                        "customer " + reference + " is archived: it is kept as a record only");
            }
            EntitlementDao dao = handle.attach(EntitlementDao.class);
            if (request.type() == EntitlementType.METERED
                    && !dao.metered(key.organizationId(), key.livemode(), request.featureKey())) {
                throw BillingException.invalid(
                        "feature",
                        "no active meter counts feature " + request.featureKey() + ": it has no usage to limit");
            }
            return dao.insert(
                            Ids.next("ent"),
                            key.organizationId(),
                            key.livemode(),
                            customer.id(),
                            request,
                            clock.instant())
                    .orElseThrow(() -> new BillingException(
                            ErrorCode.ALREADY_EXISTS,
                            "customer " + reference + " has an entitlement to " + request.featureKey() + " already",
                            "feature"));
        });
    }

    /** The entitlements of customer {@code reference}, by feature. */
    public List<Entitlement> list(ApiKeyPrincipal key, String reference) {
        return database.jdbi().withHandle(handle -> handle.attach(EntitlementDao.class)
                .ofCustomer(customer(handle, key, reference).id()));
    }

    /** Deletes customer {@code reference}'s entitlement to {@code feature}; not found when there is none. */
    public void delete(ApiKeyPrincipal key, String reference, String feature) {
        database.jdbi().useTransaction(handle -> {
            Customer customer = customer(handle, key, reference);
            if (!handle.attach(EntitlementDao.class).delete(customer.id(), feature)) {
                throw notFound(reference, feature);
            }
        });
    }

    /** What customer {@code reference} may do with {@code feature} now; metering is asked with {@code authorization}. */
    public Answer value(ApiKeyPrincipal key, String authorization, String reference, String feature) {
        Instant now = clock.instant();
        Facts facts = database.jdbi()
                .inTransaction(
                        TransactionIsolationLevel.REPEATABLE_READ,
                        handle -> facts(handle, key, reference, feature, now));
        Entitlement entitlement = facts.entitlement();
        if (entitlement.type() != EntitlementType.METERED) {
            return new Answer(EntitlementValue.unmetered(entitlement), facts.customer(), now, null);
        }
        UpcomingUsage.SpanUsage usage = new UpcomingUsage(
                        live, authorization, facts.customer().externalId(), now)
                .usage(feature, facts.period(), facts.ledger())
                .orElseGet(() -> new UpcomingUsage.SpanUsage(facts.ledger().usage(), UpcomingUsage.Live.UNAVAILABLE));
        return new Answer(
                EntitlementValue.metered(
                        entitlement, facts.period(), usage.usage().quantity()),
                facts.customer(),
                now,
                usage.live());
    }

    /** What the database knows of an entitlement's value, read in one snapshot. */
    private record Facts(
            Customer customer, Entitlement entitlement, TimeSpan period, UpcomingUsage.LedgerSpan ledger) {}

    private static Facts facts(Handle handle, ApiKeyPrincipal key, String reference, String feature, Instant now) {
        Customer customer = customer(handle, key, reference);
        EntitlementDao dao = handle.attach(EntitlementDao.class);
        Entitlement entitlement = dao.find(customer.id(), feature).orElseThrow(() -> notFound(reference, feature));
        if (entitlement.type() != EntitlementType.METERED) {
            return new Facts(customer, entitlement, null, null);
        }
        TimeSpan period = entitlement.period().around(now, customer.zone());
        List<LedgerEntry> rows = dao.ledger(
                key.organizationId(), key.livemode(), customer.externalId(), feature, period.from(), period.to());
        ExactDistinctCounter distinct =
                new ExactDistinctCounter(handle.attach(WindowValuesDao.class), key.organizationId(), key.livemode());
        return new Facts(
                customer, entitlement, period, new UpcomingUsage.LedgerSpan(rows, LedgerUsage.usage(rows, distinct)));
    }

    private static Customer customer(Handle handle, ApiKeyPrincipal key, String reference) {
        return handle.attach(CustomerDao.class)
                .findByIdOrExternalId(key.organizationId(), key.livemode(), reference)
                .orElseThrow(() -> BillingException.notFound("customer " + reference));
    }

    private static BillingException notFound(String reference, String feature) {
        return BillingException.notFound("entitlement of customer " + reference + " to " + feature);
    }
}
