package dev.tally.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingException;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The transitions of an invoice (key with {@code billing:write}), each answering the invoice after it: 409
 * {@code invoice_state_conflict} with its current {@code status} when it is not in a status the transition
 * leaves from, 404 for an invoice the organization does not have in this mode.
 */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class InvoiceLifecycleController {

    private final InvoiceTransitions transitions;
    private final Authenticator auth;
    private final JsonBodies json;

    public InvoiceLifecycleController(InvoiceTransitions transitions, Authenticator auth, JsonBodies json) {
        this.transitions = transitions;
        this.auth = auth;
        this.json = json;
    }

    /** The body of a void and of a write-off: why (required, at most {@link InvoiceTransitions#MAX_REASON}). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ReasonBody(@Nullable String reason) {}

    /** The body of a payment: {@code paidOutOfBand} must be true (Stellar payments arrive by themselves). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PayBody(@Nullable Boolean paidOutOfBand) {}

    /** Finalizes a draft (numbers it, fixes its total, sets its due date). */
    @Post(uri = "/{id}/finalize", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView finalizeDraft(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        return transitions.finalizeDraft(target(auth.requireKey(authorization, Scopes.BILLING_WRITE), id));
    }

    /** Voids an open or uncollectible invoice: nothing is due on it any more. */
    @Post(uri = "/{id}/void", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView voidInvoice(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        String reason = reason(json.read(body, ReasonBody.class));
        return transitions.voidInvoice(target(key, id), reason);
    }

    /** Writes off an open invoice; a later payment still pays it. */
    @Post(uri = "/{id}/mark-uncollectible", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView markUncollectible(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        String reason = reason(json.read(body, ReasonBody.class));
        return transitions.markUncollectible(target(key, id), reason);
    }

    /** Marks an open or uncollectible invoice paid outside Stellar, recording the key that said so. */
    @Post(uri = "/{id}/pay", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView pay(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        PayBody request = json.read(body, PayBody.class);
        if (!Boolean.TRUE.equals(request.paidOutOfBand())) {
            throw BillingException.invalid(
                    "paidOutOfBand", "paidOutOfBand must be true: Stellar payments are recorded as they settle");
        }
        return transitions.payOutOfBand(target(key, id), key.keyId());
    }

    private static String reason(ReasonBody request) {
        String reason = Inputs.optionalText(
                "reason", Inputs.required("reason", request.reason()), InvoiceTransitions.MAX_REASON);
        return Inputs.withoutControls("reason", reason);
    }

    private static InvoiceTransitions.Target target(ApiKeyPrincipal key, String id) {
        return new InvoiceTransitions.Target(key.organizationId(), key.livemode(), id);
    }
}
