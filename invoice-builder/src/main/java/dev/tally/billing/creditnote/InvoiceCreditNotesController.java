package dev.tally.billing.creditnote;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.InvoicePageDao;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * An invoice's credit notes: issue one ({@code billing:write}; 201 with it; 409 {@code invoice_state_conflict}
 * with the current status for a draft or void invoice, 409 {@code invoice_fully_credited} when nothing is left to
 * credit; 400 naming the member) and list them ({@code billing:read}, oldest first, all in one page). 404 for an invoice the
 * organization does not have in this mode.
 */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class InvoiceCreditNotesController {

    private final BillingDatabase database;
    private final CreditNoteIssuer issuer;
    private final Authenticator auth;
    private final JsonBodies json;

    public InvoiceCreditNotesController(
            BillingDatabase database, CreditNoteIssuer issuer, Authenticator auth, JsonBodies json) {
        this.database = database;
        this.issuer = issuer;
        this.auth = auth;
        this.json = json;
    }

    @Post(uri = "/{id}/credit-notes", consumes = MediaType.ALL)
    public HttpResponse<CreditNoteViews.CreditNoteView> issue(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreditNoteRequest request = CreditNoteRequest.of(json.read(body, CreditNoteBody.class));
        CreditNote note = issuer.issue(key.organizationId(), key.livemode(), id, request);
        CreditNoteViews.CreditNoteView view = database.jdbi()
                .withHandle(handle -> CreditNoteViews.of(
                        note, handle.attach(CreditNoteDao.class).lines(note.id())));
        return HttpResponse.created(view);
    }

    @Get("/{id}/credit-notes")
    public Page<CreditNoteViews.CreditNoteView> ofInvoice(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return database.jdbi().withHandle(handle -> {
            if (!handle.attach(InvoicePageDao.class).exists(key.organizationId(), key.livemode(), id)) {
                throw BillingException.notFound("invoice " + id);
            }
            CreditNoteDao notes = handle.attach(CreditNoteDao.class);
            // all of them, in one page: an invoice has a handful
            return new Page<>(
                    notes.ofInvoice(id).stream()
                            .map(note -> CreditNoteViews.of(note, notes.lines(note.id())))
                            .toList(),
                    false);
        });
    }
}
