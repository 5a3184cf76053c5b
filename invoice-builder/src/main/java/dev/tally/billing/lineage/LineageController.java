package dev.tally.billing.lineage;

import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** An invoice's lineage and its verification (key with {@code billing:read}). */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class LineageController {

    private final InvoiceLineage lineage;
    private final InvoiceVerifier verifier;
    private final Authenticator auth;

    public LineageController(InvoiceLineage lineage, InvoiceVerifier verifier, Authenticator auth) {
        this.lineage = lineage;
        this.verifier = verifier;
        this.auth = auth;
    }

    /** The ledger windows line {@code line} of invoice {@code id} billed, a page at a time (see {@link InvoiceLineage}). */
    @Get("/{id}/lines/{line}/usage")
    public LineageViews.LineUsageView usage(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @PathVariable String line,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        PageRequest page = PageRequest.of(limit, startingAfter);
        return LineageViews.of(lineage.usage(key.organizationId(), key.livemode(), id, line, page));
    }

    /** Invoice {@code id} recomputed from its inputs and compared with what is stored (see {@link InvoiceVerifier}). */
    @Post(uri = "/{id}/verify", consumes = MediaType.ALL)
    public LineageViews.VerificationView verify(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return LineageViews.of(verifier.verify(key.organizationId(), key.livemode(), id));
    }
}
