package dev.tally.billing.entitlement;

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
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

/**
 * {@code /v1/customers/{id}/entitlements}: what a customer (its {@code cus_…} id or external id) may use, and
 * {@code …/{feature}}: whether it may use that feature right now.
 */
@Controller("/v1/customers")
public final class EntitlementController {

    private final Entitlements entitlements;
    private final Authenticator auth;
    private final JsonBodies json;

    public EntitlementController(Entitlements entitlements, Authenticator auth, JsonBodies json) {
        this.entitlements = entitlements;
        this.auth = auth;
        this.json = json;
    }

    @Post(uri = "/{id}/entitlements", consumes = MediaType.ALL)
    public HttpResponse<EntitlementViews.EntitlementView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        EntitlementRequest request = EntitlementRequest.of(json.read(body, EntitlementBody.class));
        return HttpResponse.created(EntitlementViews.of(entitlements.create(key, id, request)));
    }

    /** Every entitlement of the customer, by feature (one page: a customer has one per feature at most). */
    @Get("/{id}/entitlements")
    public Page<EntitlementViews.EntitlementView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return new Page<>(
                entitlements.list(key, id).stream().map(EntitlementViews::of).toList(), false);
    }

    /** Whether the customer has access to {@code feature} now; metering is asked with the caller's key. */
    @Get("/{id}/entitlements/{feature}")
    public EntitlementViews.ValueView value(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @PathVariable String feature) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return EntitlementViews.of(entitlements.value(key, authorization, id, feature));
    }

    @Delete(uri = "/{id}/entitlements/{feature}", consumes = MediaType.ALL)
    public HttpResponse<Void> delete(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @PathVariable String feature) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        entitlements.delete(key, id, feature);
        return HttpResponse.noContent();
    }
}
