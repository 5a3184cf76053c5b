package dev.tally.metering.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Organization-wide answers merged from instances. */
class UsageReportsTest {

    private static final Instant H10 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant H11 = Instant.parse("2026-11-22T11:00:00Z");
    private static final Instant H12 = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void shouldTakeTheLowestWatermarkAndJudgeFinalityByIt() {
        UsageReport local = report(H12, row("cus_2", H10, H11, true), row("cus_2", H11, H12, true));
        UsageReport remote = report(H11, row("cus_1", H10, H11, true));

        UsageReport merged = UsageReports.merge(local, List.of(remote));

        assertThat(merged.finalThrough()).isEqualTo(H11);
        assertThat(merged.data())
                .extracting(UsageReport.Row::customer, UsageReport.Row::isFinal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cus_1", true),
                        org.assertj.core.groups.Tuple.tuple("cus_2", true),
                        org.assertj.core.groups.Tuple.tuple("cus_2", false));
    }

    @Test
    void shouldCallNothingFinalWhileAnInstanceHasNoWatermark() {
        UsageReport merged = UsageReports.merge(report(H12, row("cus_1", H10, H11, true)), List.of(report(null)));

        assertThat(merged.finalThrough()).isNull();
        assertThat(merged.data()).extracting(UsageReport.Row::isFinal).containsExactly(false);
    }

    private static UsageReport report(Instant finalThrough, UsageReport.Row... rows) {
        return new UsageReport("org_1", true, null, "hour", "UTC", H10, H12, finalThrough, List.of(rows));
    }

    private static UsageReport.Row row(String customer, Instant start, Instant end, boolean isFinal) {
        return new UsageReport.Row(customer, "ai_call", "sum", start, end, "1.000000000", 1, isFinal);
    }
}
