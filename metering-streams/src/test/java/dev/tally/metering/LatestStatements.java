package dev.tally.metering;

import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What billing keeps of usage-aggregates and usage-corrections: per window, the statement with the
 * highest revision (each is the whole window, never a delta).
 */
final class LatestStatements {

    private final Map<String, UsageAggregate> byWindow = new HashMap<>();

    void add(UsageAggregate statement) {
        String window = Keys.window(
                statement.getOrganizationId(),
                statement.getLivemode(),
                statement.getCustomerId(),
                statement.getFeature(),
                statement.getWindowStart().toEpochMilli());
        byWindow.merge(window, statement, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
    }

    void addAll(Collection<UsageAggregate> statements) {
        statements.forEach(this::add);
    }

    BigDecimal total() {
        return byWindow.values().stream().map(UsageAggregate::getQuantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    long eventCount() {
        return byWindow.values().stream()
                .mapToLong(UsageAggregate::getEventCount)
                .sum();
    }
}
