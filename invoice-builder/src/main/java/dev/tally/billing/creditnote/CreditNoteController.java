package dev.tally.billing.creditnote;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.CatalogDao;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.document.CreditNoteDocuments;
import dev.tally.billing.document.InvoiceDocument;
import dev.tally.billing.document.InvoicePdf;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/** Reading credit notes ({@code billing:read}): the list, one, and its PDF. */
@Controller("/v1/credit-notes")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CreditNoteController {

    private static final String APPLICATION_PDF = "application/pdf";

    private final BillingDatabase database;
    private final Authenticator auth;

    public CreditNoteController(BillingDatabase database, Authenticator auth) {
        this.database = database;
        this.auth = auth;
    }

    /**
     * A page of credit notes, newest first; {@code invoice} an invoice id, {@code customer} a customer id or
     * external id.
     */
    @Get
    public Page<CreditNoteViews.CreditNoteView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String invoice,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        PageRequest page = PageRequest.of(limit, startingAfter);
        String invoiceId =
                invoice == null ? null : Inputs.withoutControls("invoice", Inputs.required("invoice", invoice));
        return database.jdbi().withHandle(handle -> {
            String customerId = null;
            if (customer != null) {
                customerId = new CatalogDao(handle)
                        .customer(key.organizationId(), key.livemode(), Inputs.customer("customer", customer))
                        .map(Customer::id)
                        .orElseThrow(() -> BillingException.invalid("customer", "no customer " + customer));
            }
            CreditNoteDao notes = handle.attach(CreditNoteDao.class);
            if (page.startingAfter() != null
                    && !notes.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            List<CreditNote> rows = notes.page(
                    key.organizationId(), key.livemode(), invoiceId, customerId, page.startingAfter(), page.probe());
            return Page.of(rows, page, note -> CreditNoteViews.of(note, notes.lines(note.id())));
        });
    }

    @Get("/{id}")
    public CreditNoteViews.CreditNoteView get(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return database.jdbi().withHandle(handle -> {
            CreditNoteDao notes = handle.attach(CreditNoteDao.class);
            return notes.find(key.organizationId(), key.livemode(), id)
                    .map(note -> CreditNoteViews.of(note, notes.lines(note.id())))
                    .orElseThrow(() -> BillingException.notFound("credit note " + id));
        });
    }

    /** The PDF of credit note {@code id}: read in one transaction, drawn after it ends. */
    @Get(value = "/{id}/pdf", produces = APPLICATION_PDF)
    public HttpResponse<byte[]> pdf(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        CreditNoteDocuments.Drawn document = database.jdbi()
                .inTransaction(handle -> CreditNoteDocuments.load(handle, key.organizationId(), key.livemode(), id))
                .orElseThrow(() -> BillingException.notFound("credit note " + id));
        InvoiceDocument shown = document.document();
        return HttpResponse.ok(InvoicePdf.render(shown, document.layout()))
                .contentType(APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "inline; filename=\"credit-note-" + shown.number().replaceAll("[^A-Za-z0-9_-]", "_")
                                + ".pdf\"");
    }
}
