package dev.tally.metering.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Merges the organization-wide answers of several instances into one. */
final class UsageReports {

    private static final Comparator<UsageReport.Row> ORDER = Comparator.comparing(UsageReport.Row::customer)
            .thenComparing(UsageReport.Row::feature)
            .thenComparing(UsageReport.Row::windowStart);

    private UsageReports() {}

    /** The lower watermark; unknown (null) on either side makes the result unknown. */
    static Long lower(Long a, Long b) {
        return a == null || b == null ? null : Math.min(a, b);
    }

    /**
     * One answer from the parts: rows together in order, the watermark the lowest (no window is
     * called final unless it is final on every partition), each row's finality re-judged by it.
     */
    static UsageReport merge(UsageReport local, List<UsageReport> remote) {
        Instant watermark = local.finalThrough();
        List<UsageReport.Row> rows = new ArrayList<>(local.data());
        for (UsageReport part : remote) {
            watermark = watermark == null || part.finalThrough() == null
                    ? null
                    : (part.finalThrough().isBefore(watermark) ? part.finalThrough() : watermark);
            rows.addAll(part.data());
        }
        Instant finalThrough = watermark;
        List<UsageReport.Row> judged = rows.stream()
                .map(row -> new UsageReport.Row(
                        row.customer(),
                        row.feature(),
                        row.aggregation(),
                        row.windowStart(),
                        row.windowEnd(),
                        row.quantity(),
                        row.eventCount(),
                        finalThrough != null && !row.windowEnd().isAfter(finalThrough)))
                .sorted(ORDER)
                .toList();
        return new UsageReport(
                local.organizationId(),
                local.livemode(),
                local.customerId(),
                local.window(),
                local.timeZone(),
                local.from(),
                local.to(),
                finalThrough,
                judged);
    }
}
