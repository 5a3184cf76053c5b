package dev.tally.billing.export;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.invoice.InvoiceController;
import dev.tally.billing.invoice.InvoiceFilter;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;
import java.io.InputStream;
import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * CSV exports of invoices and of their lines (key with {@code billing:read}), for invoices created in
 * {@code [from, to)} and the invoice list's filters. Every parameter is checked, and the customer looked up,
 * before the answer starts: once the 200 has gone out, rows are streamed from a database cursor as the client
 * reads them ({@link CsvBody}).
 */
@Controller("/v1/exports")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ExportController {

    /** RFC 4180's media type, with the header record announced. */
    static final String TEXT_CSV = "text/csv; charset=utf-8; header=present";

    private final BillingDatabase database;
    private final Authenticator auth;
    private final ExportSettings settings;
    private final Clock clock;

    public ExportController(
            BillingDatabase database,
            Authenticator auth,
            ExportSettings settings,
            @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.auth = auth;
        this.settings = settings;
        this.clock = clock;
    }

    /** One record per invoice ({@link ExportColumns#INVOICES}), oldest first. */
    @Get(value = "/invoices.csv", produces = TEXT_CSV)
    public HttpResponse<InputStream> invoices(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @RequestBean InvoiceFilter.Params params) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        ExportFilter.Request request = ExportFilter.Request.of(from, to, params, settings.maxRange());
        return csv("invoices", key, request, CsvExports::invoices);
    }

    /** One record per invoice line ({@link ExportColumns#LINES}), oldest invoice first, each in its order. */
    @Get(value = "/invoice-lines.csv", produces = TEXT_CSV)
    public HttpResponse<InputStream> lines(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @RequestBean InvoiceFilter.Params params) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        ExportFilter.Request request = ExportFilter.Request.of(from, to, params, settings.maxRange());
        return csv("invoice-lines", key, request, CsvExports::lines);
    }

    /** Opens an export: its body on a handle of its own. */
    @FunctionalInterface
    private interface Export {
        InputStream open(Handle handle, ExportFilter filter, int fetchSize);
    }

    private HttpResponse<InputStream> csv(
            String name, ApiKeyPrincipal key, ExportFilter.Request request, Export export) {
        Handle handle = database.jdbi().open();
        try {
            ExportFilter filter = request.in(
                    key.organizationId(),
                    key.livemode(),
                    InvoiceController.customerId(handle, key, request.invoices().customer()),
                    clock.instant());
            InputStream body = export.open(handle, filter, settings.fetchSize());
            return HttpResponse.ok(body)
                    .contentType(MediaType.of(TEXT_CSV))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"");
        } catch (RuntimeException e) {
            // the body did not take the handle: give it back (a 400 for an unknown customer, or a failed query)
            if (handle.isInTransaction()) {
                handle.rollback();
            }
            handle.close();
            throw e;
        }
    }
}
