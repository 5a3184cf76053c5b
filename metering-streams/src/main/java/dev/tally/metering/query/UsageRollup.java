package dev.tally.metering.query;

import dev.tally.metering.topology.UsageCell;
import dev.tally.schemas.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns stored cells into report rows: as they are for minutes and hours, merged into the days or
 * months of a time zone otherwise (an hour belongs to the day its start falls in) by their
 * aggregation, each marked final when it ends at or before the watermark.
 */
final class UsageRollup {

    private UsageRollup() {}

    static List<UsageReport.Row> rows(List<UsageCell> cells, Granularity granularity, ZoneId zone, Long finalThrough) {
        long watermark = finalThrough == null ? Long.MIN_VALUE : finalThrough;
        if (granularity == Granularity.MINUTE || granularity == Granularity.HOUR) {
            return cells.stream().map(c -> row(c, watermark)).toList();
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
                    + cell.aggregation()
                    + '|'
                    + start.toInstant().toEpochMilli();
            UsageCell period = new UsageCell(
                    cell.customerId(),
                    cell.feature(),
                    cell.aggregation(),
                    start.toInstant().toEpochMilli(),
                    end.toInstant().toEpochMilli(),
                    cell.quantity(),
                    cell.eventCount(),
                    cell.latestAt(),
                    cell.distinctValues());
            groups.merge(key, period, UsageRollup::merge);
        }
        return groups.values().stream().map(c -> row(c, watermark)).toList();
    }

    /** Two windows of one period as one: by the aggregation both were metered with. */
    static UsageCell merge(UsageCell a, UsageCell b) {
        if (b.eventCount() == 0) {
            return a;
        }
        if (a.eventCount() == 0) {
            return new UsageCell(
                    a.customerId(),
                    a.feature(),
                    a.aggregation(),
                    a.windowStart(),
                    a.windowEnd(),
                    b.quantity(),
                    b.eventCount(),
                    b.latestAt(),
                    b.distinctValues());
        }
        BigDecimal quantity = a.quantity();
        Long latestAt = a.latestAt();
        List<String> distinct = a.distinctValues();
        switch (a.aggregation()) {
            case SUM, COUNT -> quantity = a.quantity().add(b.quantity());
            case MIN -> quantity = a.quantity().min(b.quantity());
            case MAX -> quantity = a.quantity().max(b.quantity());
            case LATEST -> {
                if (b.latestAt() != null && (latestAt == null || b.latestAt() > latestAt)) {
                    quantity = b.quantity();
                    latestAt = b.latestAt();
                }
            }
            case UNIQUE_COUNT -> {
                TreeSet<String> union = new TreeSet<>(a.distinctValues());
                union.addAll(b.distinctValues());
                distinct = new ArrayList<>(union);
                quantity = Decimals.quantity(BigDecimal.valueOf(union.size()));
            }
        }
        return new UsageCell(
                a.customerId(),
                a.feature(),
                a.aggregation(),
                a.windowStart(),
                a.windowEnd(),
                quantity,
                a.eventCount() + b.eventCount(),
                latestAt,
                distinct);
    }

    private static ZonedDateTime periodStart(ZonedDateTime time, Granularity granularity) {
        ZonedDateTime day = time.truncatedTo(ChronoUnit.DAYS);
        return granularity == Granularity.DAY ? day : day.with(TemporalAdjusters.firstDayOfMonth());
    }

    private static UsageReport.Row row(UsageCell cell, long watermark) {
        return new UsageReport.Row(
                cell.customerId(),
                cell.feature(),
                cell.aggregation().name().toLowerCase(Locale.ROOT),
                Instant.ofEpochMilli(cell.windowStart()),
                Instant.ofEpochMilli(cell.windowEnd()),
                cell.quantity().toPlainString(),
                cell.eventCount(),
                cell.windowEnd() <= watermark);
    }
}
