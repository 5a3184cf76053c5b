package dev.tally.billing.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.schemas.rules.Currencies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of lineage and verification. */
public final class LineageViews {

    private LineageViews() {}

    /**
     * A line and the ledger windows it billed (empty for a line that bills no usage), a page at a time: the
     * next page with {@code startingAfter} = the {@code windowKey} of the last window.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineUsageView(
            String invoice,
            String line,
            String kind,
            @Nullable String price,
            @Nullable String featureKey,
            @Nullable String periodStart,
            @Nullable String periodEnd,
            String quantity,
            @Nullable String previousQuantity,
            @Nullable Long eventCount,
            long amountMinor,
            List<WindowView> windows,
            boolean hasMore) {}

    /**
     * A window the line billed: the statements (revisions) it billed, and the statement the window counted at
     * before the line ({@code before}: null unless an earlier invoice billed the window) and with it ({@code
     * now}); {@code changed}: the line changed what the window counts at.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WindowView(
            String windowKey,
            String windowStart,
            String windowEnd,
            String aggregation,
            List<StatementView> statements,
            @Nullable CountedView before,
            CountedView now,
            boolean changed) {}

    /**
     * A statement the line billed; {@code counted}: the window counts at it (else a higher revision superseded it);
     * {@code creditNote}: the {@code usage_corrected} credit note that billed this restatement of late usage
     * against the line (its id), else null.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StatementView(
            String aggregateId,
            long revision,
            String quantity,
            long eventCount,
            String recordedAt,
            boolean counted,
            @Nullable String creditNote) {}

    /** The statement a window counts at. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CountedView(String aggregateId, long revision, String quantity, long eventCount) {}

    /** The answer of a verification: {@code verified} exactly when {@code differences} is empty. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record VerificationView(String invoice, boolean verified, List<DifferenceView> differences) {}

    /**
     * A difference. {@code subject}: {@code line} (a stored line and its recomputation; {@code expected} null:
     * nothing recomputes to the stored line; {@code stored} null: the invoice lacks a line its inputs imply)
     * or {@code total} (with {@code expectedTotalMinor} and {@code storedTotalMinor}, the lines null). {@code
     * line}: the stored line's id; {@code key}: what pairs the two (a subscription line's key, else kind,
     * price and period, or {@code credit}).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DifferenceView(
            String subject,
            @Nullable String line,
            @Nullable String key,
            @Nullable FiguresView expected,
            @Nullable FiguresView stored,
            @Nullable Long expectedTotalMinor,
            @Nullable Long storedTotalMinor) {}

    /** What is compared of a line, as the invoice stores it (an adjustment's quantity is the difference). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FiguresView(
            String kind,
            @Nullable String price,
            String quantity,
            @Nullable String previousQuantity,
            @Nullable Long eventCount,
            long amountMinor,
            String amount) {}

    static LineUsageView of(InvoiceLineage.LineUsage usage) {
        InvoiceLine line = usage.line();
        return new LineUsageView(
                usage.invoice().id(),
                line.id(),
                line.kind().text(),
                line.priceId(),
                line.featureKey(),
                line.usagePeriod() == null ? null : line.usagePeriod().start().toString(),
                line.usagePeriod() == null ? null : line.usagePeriod().end().toString(),
                line.quantity().toPlainString(),
                text(line.previousQuantity()),
                line.eventCount(),
                line.amountMinor(),
                usage.windows().stream().map(LineageViews::window).toList(),
                usage.hasMore());
    }

    private static WindowView window(WindowLineage window) {
        return new WindowView(
                window.windowKey(),
                window.windowStart().toString(),
                window.windowEnd().toString(),
                window.aggregation().name().toLowerCase(Locale.ROOT),
                window.billed().stream()
                        .map(s -> new StatementView(
                                s.aggregateId(),
                                s.revision(),
                                s.quantity().toPlainString(),
                                s.eventCount(),
                                s.recordedAt().toString(),
                                s.counted(),
                                s.creditNote()))
                        .toList(),
                counted(window.before()),
                counted(window.now()),
                window.changed());
    }

    private static CountedView counted(WindowLineage.Counted counted) {
        return counted == null
                ? null
                : new CountedView(
                        counted.aggregateId(),
                        counted.revision(),
                        counted.quantity().toPlainString(),
                        counted.eventCount());
    }

    static VerificationView of(Verification verification) {
        String currency = verification.currency();
        return new VerificationView(
                verification.invoiceId(),
                verification.verified(),
                verification.differences().stream()
                        .map(d -> difference(d, currency))
                        .toList());
    }

    private static DifferenceView difference(Verification.Difference difference, String currency) {
        if (difference.total() != null) {
            return new DifferenceView(
                    "total",
                    null,
                    null,
                    null,
                    null,
                    difference.total().expectedMinor(),
                    difference.total().storedMinor());
        }
        LineFigures any = difference.stored() != null ? difference.stored() : difference.expected();
        return new DifferenceView(
                "line",
                difference.stored() == null ? null : difference.stored().lineId(),
                any.match(),
                figures(difference.expected(), currency),
                figures(difference.stored(), currency),
                null,
                null);
    }

    private static FiguresView figures(LineFigures figures, String currency) {
        return figures == null
                ? null
                : new FiguresView(
                        figures.kind().text(),
                        figures.priceId(),
                        figures.quantity().toPlainString(),
                        text(figures.previousQuantity()),
                        figures.eventCount(),
                        figures.amountMinor(),
                        Currencies.fromMinor(figures.amountMinor(), currency).toPlainString());
    }

    private static String text(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
