package dev.tally.metering.topology;

import java.math.BigDecimal;

/**
 * Usage of one feature in one window as the live stores hold it.
 *
 * @param customerId the organization's customer
 * @param feature the feature key
 * @param windowStart inclusive, epoch millis
 * @param windowEnd exclusive, epoch millis
 * @param quantity exact sum, scale 9
 * @param eventCount events counted
 */
public record UsageCell(
        String customerId, String feature, long windowStart, long windowEnd, BigDecimal quantity, long eventCount) {}
