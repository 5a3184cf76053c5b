package dev.tally.billing.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.export.ExportSettings;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.Scopes;
import dev.tally.schemas.rules.Currencies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.result.ResultIterator;

/** The period report of invoices (key with {@code billing:read}): what was billed, credited, paid, and is still due. */
@Controller("/v1/reports")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ReportController {

    private final BillingDatabase database;
    private final Authenticator auth;
    private final ExportSettings exports;
    private final Clock clock;

    public ReportController(
            BillingDatabase database,
            Authenticator auth,
            ExportSettings exports,
            @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.auth = auth;
        this.exports = exports;
        this.clock = clock;
    }

    /** The report: its range, when it was read ({@code asOf}: what is overdue then), one entry per currency. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ReportView(String from, String to, String asOf, List<CurrencyView> currencies) {}

    /** One currency's figures, each in minor units and as a decimal at the currency's scale. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CurrencyView(
            String currency,
            long invoices,
            long billedMinor,
            String billed,
            long creditedMinor,
            String credited,
            long paidMinor,
            String paid,
            long outstandingMinor,
            String outstanding,
            long overdueMinor,
            String overdue,
            long voidedMinor,
            String voided) {

        static CurrencyView of(PeriodReport.Figures f) {
            String c = f.currency();
            return new CurrencyView(
                    c,
                    f.invoices(),
                    f.billedMinor(),
                    decimal(f.billedMinor(), c),
                    f.creditedMinor(),
                    decimal(f.creditedMinor(), c),
                    f.paidMinor(),
                    decimal(f.paidMinor(), c),
                    f.outstandingMinor(),
                    decimal(f.outstandingMinor(), c),
                    f.overdueMinor(),
                    decimal(f.overdueMinor(), c),
                    f.voidedMinor(),
                    decimal(f.voidedMinor(), c));
        }

        private static String decimal(long minor, String currency) {
            return Currencies.fromMinor(minor, currency).toPlainString();
        }
    }

    /**
     * The invoices finalized in {@code [from, to)} (at most {@code tally.billing.exports.max-range} apart, as an
     * export), added up per currency by {@link PeriodReport}.
     */
    @Get("/invoices")
    public ReportView invoices(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        Instant start = Inputs.instant("from", from);
        Instant end = Inputs.instant("to", to);
        if (!end.isAfter(start)) {
            throw BillingException.invalid("to", "to must be after from");
        }
        if (java.time.Duration.between(start, end).compareTo(exports.maxRange()) > 0) {
            throw BillingException.invalid(
                    "to", "a report covers at most " + exports.maxRange().toDays() + " days from from to to");
        }
        Instant now = clock.instant();
        PeriodReport report = new PeriodReport(now);
        // a cursor streams the rows only inside a transaction
        database.jdbi().useTransaction(handle -> {
            try (ResultIterator<PeriodReportDao.Row> rows = handle.attach(PeriodReportDao.class)
                    .issued(key.organizationId(), key.livemode(), start, end, exports.fetchSize())) {
                rows.forEachRemaining(row -> report.add(row.invoice(), row.paid(), row.creditedMinor()));
            }
        });
        return new ReportView(
                start.toString(),
                end.toString(),
                now.toString(),
                report.figures().stream().map(CurrencyView::of).toList());
    }
}
