package dev.tally.ingest.meter;

import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each organization wants done with events for a feature that has no active meter, as read
 * from the compacted organizations topic. An organization with no settings record accepts them
 * ({@link UnknownFeaturePolicy#ACCEPT_AS_SUM}, the contract's default).
 */
@Singleton
public final class OrganizationPolicies {

    private final Map<String, UnknownFeaturePolicy> unknownFeature = new ConcurrentHashMap<>();

    /** The unknown-feature policy of {@code organizationId}. */
    public UnknownFeaturePolicy unknownFeature(String organizationId) {
        return unknownFeature.getOrDefault(organizationId, UnknownFeaturePolicy.ACCEPT_AS_SUM);
    }

    /** Records the latest settings of an organization; a null record (a tombstone) forgets them. */
    public void apply(String organizationId, OrganizationSettings settings) {
        if (settings == null) {
            unknownFeature.remove(organizationId);
        } else {
            unknownFeature.put(organizationId, settings.getUnknownFeature());
        }
    }

    /** How many organizations have settings. */
    public int size() {
        return unknownFeature.size();
    }
}
