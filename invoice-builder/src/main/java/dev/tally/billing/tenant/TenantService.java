package dev.tally.billing.tenant;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Creates and changes organizations, creates their API keys and revokes keys. Every key change is
 * published as an {@code ApiKeyRecord}, every settings change as {@code OrganizationSettings},
 * through the outbox, in the transaction of the change.
 */
@Singleton
public final class TenantService {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final Topics topics;
    private final Clock clock;

    public TenantService(BillingDatabase database, BillingOutboxRelay relay, Topics topics) {
        this(database, relay, topics, Clock.systemUTC());
    }

    TenantService(BillingDatabase database, BillingOutboxRelay relay, Topics topics, Clock clock) {
        this.database = database;
        this.relay = relay;
        this.topics = topics;
        this.clock = clock;
    }

    /** A key just created: the plaintext, shown once, and what is stored. */
    public record CreatedKey(String plaintext, ApiKey key) {}

    /**
     * Creates an organization and enqueues its settings in the same transaction; a null {@code invoicePrefix}
     * is derived from the name.
     */
    public Organization createOrganization(OrganizationFields fields) {
        Organization created = database.jdbi().inTransaction(handle -> {
            Organization organization = new TenantDao(handle).insertOrganization(Ids.next("org"), fields);
            publish(handle, organization);
            return organization;
        });
        relay.wakeUp();
        return created;
    }

    public Organization organization(String id) {
        return database.jdbi()
                .withHandle(handle -> new TenantDao(handle).organization(id))
                .orElseThrow(() -> BillingException.notFound("organization " + id));
    }

    /**
     * Changes the name, the unknown-feature policy, the time zone, the invoice prefix and/or the payment terms
     * (the members of {@code change} that are not null). The settings are enqueued, in the same transaction,
     * only when the policy actually changed (the rest is billing's own: the zone gives new customers theirs,
     * and existing customers keep theirs; the prefix numbers and the terms date the invoices finalized from
     * now on, earlier ones keep their numbers and due dates).
     */
    public Organization updateOrganization(String id, OrganizationFields change) {
        Update update = database.jdbi().inTransaction(handle -> {
            TenantDao dao = new TenantDao(handle);
            Organization current =
                    dao.organizationForUpdate(id).orElseThrow(() -> BillingException.notFound("organization " + id));
            OrganizationFields wanted = change.over(current.fields());
            if (wanted.equals(current.fields())) {
                // nothing changes: updatedAt stays, nothing is published
                return new Update(current, false);
            }
            Organization updated = dao.updateOrganization(id, wanted);
            boolean changed = wanted.unknownFeature() != current.unknownFeature();
            if (changed) {
                publish(handle, updated);
            }
            return new Update(updated, changed);
        });
        if (update.published()) {
            relay.wakeUp();
        }
        return update.organization();
    }

    private record Update(Organization organization, boolean published) {}

    /**
     * Enqueues the settings of every organization created before settings were published (exactly
     * once each: the claim and the enqueue share one transaction).
     *
     * @return how many were enqueued
     */
    public int publishMissingSettings() {
        int published = database.jdbi().inTransaction(handle -> {
            List<Organization> missing = new TenantDao(handle).claimOrganizationsWithoutSettings();
            missing.forEach(organization -> publish(handle, organization));
            return missing.size();
        });
        if (published > 0) {
            relay.wakeUp();
        }
        return published;
    }

    public CreatedKey createKey(String organizationId, boolean livemode, List<String> scopes, Instant expiresAt) {
        String plaintext = ApiKeys.generate(livemode);
        CreatedKey created = database.jdbi().inTransaction(handle -> {
            TenantDao dao = new TenantDao(handle);
            if (dao.organization(organizationId).isEmpty()) {
                throw BillingException.notFound("organization " + organizationId);
            }
            ApiKey key = dao.insertKey(
                    Ids.next("key"),
                    organizationId,
                    ApiKeys.hash(plaintext),
                    ApiKeys.displayPrefix(plaintext),
                    livemode,
                    scopes,
                    expiresAt);
            publish(handle, key);
            return new CreatedKey(plaintext, key);
        });
        relay.wakeUp();
        return created;
    }

    /** A page of the keys of organization {@code organizationId} (one extra row, see {@link PageRequest#probe()}), oldest first, revoked and expired ones included. */
    public List<ApiKey> keys(String organizationId, PageRequest page) {
        return database.jdbi().inTransaction(handle -> {
            if (new TenantDao(handle).organization(organizationId).isEmpty()) {
                throw BillingException.notFound("organization " + organizationId);
            }
            KeyPageDao keys = handle.attach(KeyPageDao.class);
            if (page.startingAfter() != null && !keys.exists(organizationId, page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return keys.keys(organizationId, page.startingAfter(), page.probe());
        });
    }

    /** Revokes the key whose id or visible prefix is {@code idOrPrefix}; revoking twice is harmless. */
    public ApiKey revoke(String idOrPrefix) {
        ApiKey revoked = database.jdbi().inTransaction(handle -> {
            TenantDao dao = new TenantDao(handle);
            List<ApiKey> matches = dao.keysByIdOrPrefixForUpdate(idOrPrefix);
            if (matches.isEmpty()) {
                throw BillingException.notFound("API key " + idOrPrefix);
            }
            if (matches.size() > 1) {
                throw new BillingException(
                        ErrorCode.AMBIGUOUS_KEY_PREFIX,
                        matches.size() + " keys start with " + idOrPrefix + ": revoke by key id");
            }
            ApiKey key = dao.revoke(matches.getFirst().id(), clock.instant());
            publish(handle, key);
            return key;
        });
        relay.wakeUp();
        return revoked;
    }

    private void publish(Handle handle, Organization organization) {
        database.outbox()
                .enqueue(handle, topics.organizations(), organization.id(), organization.toSettings(clock.instant()));
    }

    private void publish(Handle handle, ApiKey key) {
        database.outbox().enqueue(handle, topics.apiKeys(), key.keyHash(), key.toRecord(clock.instant()));
    }
}
