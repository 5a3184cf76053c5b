package dev.tally.metering.query;

import dev.tally.metering.topology.UsageCell;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored cells into report rows: as they are for minutes and hours, summed into the days or
 * months of a time zone otherwise (an hour belongs to the day its start falls in), each marked
 * final when it ends at or before the watermark.
 */
final class UsageRollup {

    private UsageRollup() {}

    static List<UsageReport.Row> rows(List<UsageCell> cells, Granularity granularity, ZoneId zone, Long finalThrough) {
        long watermark = finalThrough == null ? Long.MIN_VALUE : finalThrough;
        if (granularity == Granularity.MINUTE || granularity == Granularity.HOUR) {
            return cells.stream()
                    .map(c -> row(
                            c.customerId(),
                            c.feature(),
                            c.windowStart(),
                            c.windowEnd(),
                            c.quantity(),
                            c.eventCount(),
                            watermark))
                    .toList();
        }
        Map<String, UsageCell> groups = new LinkedHashMap<>();
        for (UsageCell cell : cells) {
            ZonedDateTime start =
                    periodStart(Instant.ofEpochMilli(cell.windowStart()).atZone(zone), granularity);
            ZonedDateTime end = granularity == Granularity.DAY ? start.plusDays(1) : start.plusMonths(1);
            String key = cell.customerId()
                    + '|'
                    + cell.feature()
                    + '|'
                    + start.toInstant().toEpochMilli();
            groups.merge(
                    key,
                    new UsageCell(
                            cell.customerId(),
                            cell.feature(),
                            start.toInstant().toEpochMilli(),
                            end.toInstant().toEpochMilli(),
                            cell.quantity(),
                            cell.eventCount()),
                    (a, b) -> new UsageCell(
                            a.customerId(),
                            a.feature(),
                            a.windowStart(),
                            a.windowEnd(),
                            a.quantity().add(b.quantity()),
                            a.eventCount() + b.eventCount()));
        }
        List<UsageReport.Row> rows = new ArrayList<>();
        for (UsageCell group : groups.values()) {
            rows.add(row(
                    group.customerId(),
                    group.feature(),
                    group.windowStart(),
                    group.windowEnd(),
                    group.quantity(),
                    group.eventCount(),
                    watermark));
        }
        return rows;
    }

    private static ZonedDateTime periodStart(ZonedDateTime time, Granularity granularity) {
        ZonedDateTime day = time.truncatedTo(ChronoUnit.DAYS);
        return granularity == Granularity.DAY ? day : day.with(TemporalAdjusters.firstDayOfMonth());
    }

    private static UsageReport.Row row(
            String customer, String feature, long start, long end, BigDecimal quantity, long count, long watermark) {
        return new UsageReport.Row(
                customer,
                feature,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end),
                quantity.toPlainString(),
                count,
                end <= watermark);
    }
}
