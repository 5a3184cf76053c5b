package dev.tally.billing.document;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** An invoice as a PDF document (key with {@code billing:read}). */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class InvoicePdfController {

    static final String APPLICATION_PDF = "application/pdf";

    private final BillingDatabase database;
    private final Authenticator auth;

    public InvoicePdfController(BillingDatabase database, Authenticator auth) {
        this.database = database;
        this.auth = auth;
    }

    /** The PDF of invoice {@code id}: read in one transaction, drawn after it ends. */
    @Get(value = "/{id}/pdf", produces = APPLICATION_PDF)
    public HttpResponse<byte[]> pdf(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        InvoiceDocument document = database.jdbi()
                .inTransaction(handle -> InvoiceDocuments.load(handle, key.organizationId(), key.livemode(), id))
                .orElseThrow(() -> BillingException.notFound("invoice " + id));
        return HttpResponse.ok(InvoicePdf.render(document))
                .contentType(APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"invoice-" + fileName(document) + ".pdf\"");
    }

    /** The invoice number as a file name: its letters, digits and dashes (numbers may gain a prefix). */
    private static String fileName(InvoiceDocument document) {
        return document.number().replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
