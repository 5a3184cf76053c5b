package dev.tally.billing.upcoming;

import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

/** {@code GET /v1/customers/{id}/upcoming-invoice}: the live draft of a customer's current periods. */
@Controller("/v1/customers")
public final class UpcomingInvoiceController {

    private final UpcomingInvoices upcoming;
    private final Authenticator auth;

    public UpcomingInvoiceController(UpcomingInvoices upcoming, Authenticator auth) {
        this.upcoming = upcoming;
        this.auth = auth;
    }

    /** The draft of customer {@code id} (its {@code cus_…} id or external id), in {@code currency} if named. */
    @Get("/{id}/upcoming-invoice")
    public UpcomingInvoiceView upcoming(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @QueryValue @Nullable String currency) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return upcoming.draft(key, authorization, id, currency);
    }
}
