package dev.tally.ingest.web;

import dev.tally.ingest.auth.ApiKeyCache;
import dev.tally.ingest.meter.MeterCatalog;
import dev.tally.ingest.meter.OrganizationPolicies;
import dev.tally.ingest.state.StateFeed;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Ready once every API key, meter and organization setting published before start-up is in memory
 * (until then, keys would look unknown and features unmetered).
 */
@Singleton
@Readiness
public final class IngestReadiness implements HealthIndicator {

    private final StateFeed feed;
    private final ApiKeyCache keys;
    private final MeterCatalog meters;
    private final OrganizationPolicies organizations;

    public IngestReadiness(StateFeed feed, ApiKeyCache keys, MeterCatalog meters, OrganizationPolicies organizations) {
        this.feed = feed;
        this.keys = keys;
        this.meters = meters;
        this.organizations = organizations;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        HealthStatus status = feed.isReady() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("ingest-state", status)
                .details(Map.of("keys", keys.size(), "meters", meters.size(), "organizations", organizations.size()))
                .build());
    }
}
