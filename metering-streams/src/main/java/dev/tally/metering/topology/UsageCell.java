package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.util.List;

/**
 * Usage of one feature in one window as the live stores hold it, with what rolling windows up
 * into longer ones needs under its aggregation.
 *
 * @param customerId the organization's customer
 * @param feature the feature key
 * @param aggregation how the window was metered
 * @param windowStart inclusive, epoch millis
 * @param windowEnd exclusive, epoch millis
 * @param quantity the window's usage under its aggregation, scale 9
 * @param eventCount events counted (retracted ones excluded)
 * @param latestAt LATEST: time of the event whose value is the quantity; null otherwise or empty
 * @param distinctValues UNIQUE_COUNT, when read to roll up: the distinct values; empty otherwise
 */
public record UsageCell(
        String customerId,
        String feature,
        Aggregation aggregation,
        long windowStart,
        long windowEnd,
        BigDecimal quantity,
        long eventCount,
        Long latestAt,
        List<String> distinctValues) {}
