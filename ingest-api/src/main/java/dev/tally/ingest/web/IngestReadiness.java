package dev.tally.ingest.web;

import dev.tally.ingest.auth.ApiKeyCache;
import dev.tally.ingest.auth.ApiKeyFeed;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Ready once every API key published before start-up is in memory (until then, keys would look unknown). */
@Singleton
@Readiness
public final class IngestReadiness implements HealthIndicator {

    private final ApiKeyFeed feed;
    private final ApiKeyCache cache;

    public IngestReadiness(ApiKeyFeed feed, ApiKeyCache cache) {
        this.feed = feed;
        this.cache = cache;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        HealthStatus status = feed.isReady() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("ingest-api-keys", status)
                .details(Map.of("keys", cache.size()))
                .build());
    }
}
