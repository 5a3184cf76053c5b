package dev.tally.billing.tenant;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.InvoiceNumber;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * Admin endpoints (admin token): organizations and their settings, their API keys (listed with
 * their last use), revocation.
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class TenantController {

    /** The zone of an organization created without one (and of every organization before V9). */
    static final String DEFAULT_TIME_ZONE = "UTC";

    private final TenantService tenants;
    private final Authenticator auth;
    private final JsonBodies json;

    public TenantController(TenantService tenants, Authenticator auth, JsonBodies json) {
        this.tenants = tenants;
        this.auth = auth;
        this.json = json;
    }

    /**
     * {@code {"name","unknownFeature","timeZone","invoicePrefix","paymentTerms"}}: unknownFeature {@code
     * accept_as_sum} (default) or {@code reject}; timeZone an IANA zone, {@code UTC} by default; invoicePrefix 3
     * to 12 characters A-Z0-9, derived from the name by default; paymentTerms {@code net_0} … {@code net_90},
     * {@code net_30} by default ({@link PaymentTerms}); graceDays 0 to 365, 14 by default: how long a customer
     * stays overdue before it is suspended; autoFinalizeDelay an ISO-8601 duration from {@code PT0S} to
     * {@code P30D}, {@code PT1H} by default ({@link AutoFinalizeDelay}); lateUsageCreditNotes a boolean, false by
     * default: late usage lowering an invoiced period is credited by a credit note, not a negative adjustment line.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateOrganization(
            @Nullable String name,
            @Nullable @JsonAlias("unknown_feature") String unknownFeature,
            @Nullable String timeZone,
            @Nullable String invoicePrefix,
            @Nullable String paymentTerms,
            @Nullable Integer graceDays,
            @Nullable String autoFinalizeDelay,
            @Nullable Boolean lateUsageCreditNotes) {}

    /**
     * {@code {"name","unknownFeature","timeZone","invoicePrefix","paymentTerms","graceDays",
     * "autoFinalizeDelay","lateUsageCreditNotes"}}, each optional: what is absent
     * stays as it is. A new prefix numbers the invoices finalized afterwards and new payment terms date them;
     * issued ones keep their numbers and due dates. New grace days apply to every customer from the billing-state
     * worker's next round. A new autoFinalizeDelay applies to the drafts written afterwards (a draft keeps its
     * {@code autoFinalizeAt}, which PATCH /v1/invoices/{id} changes).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UpdateOrganization(
            @Nullable String name,
            @Nullable @JsonAlias("unknown_feature") String unknownFeature,
            @Nullable String timeZone,
            @Nullable String invoicePrefix,
            @Nullable String paymentTerms,
            @Nullable Integer graceDays,
            @Nullable String autoFinalizeDelay,
            @Nullable Boolean lateUsageCreditNotes) {}

    /** {@code {"livemode","scopes","expiresAt"}}, all optional. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateKey(@Nullable Boolean livemode, @Nullable List<String> scopes, @Nullable String expiresAt) {}

    /** An organization with its settings. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OrganizationView(
            String id,
            String name,
            String unknownFeature,
            String timeZone,
            String invoicePrefix,
            String paymentTerms,
            int graceDays,
            String createdAt,
            String updatedAt,
            String autoFinalizeDelay,
            boolean lateUsageCreditNotes) {
        static OrganizationView of(Organization org) {
            return new OrganizationView(
                    org.id(),
                    org.name(),
                    Organization.text(org.unknownFeature()),
                    org.timeZone(),
                    org.invoicePrefix(),
                    org.paymentTerms().text(),
                    org.graceDays(),
                    org.createdAt().toString(),
                    org.updatedAt().toString(),
                    org.autoFinalizeDelay().text(),
                    org.lateUsageCreditNotes());
        }
    }

    /**
     * A key as shown after creation ({@code key} set, once), revocation or in a listing ({@code key}
     * null); never its hash. {@code lastUsedAt} is reported by ingest in batches, a few seconds late.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(
            String id,
            @Nullable String key,
            String prefix,
            String organizationId,
            boolean livemode,
            List<String> scopes,
            @Nullable String expiresAt,
            @Nullable String revokedAt,
            String createdAt,
            @Nullable String lastUsedAt) {
        static KeyView of(ApiKey k, String plaintext) {
            return new KeyView(
                    k.id(),
                    plaintext,
                    k.keyPrefix(),
                    k.organizationId(),
                    k.livemode(),
                    k.scopes(),
                    text(k.expiresAt()),
                    text(k.revokedAt()),
                    k.createdAt().toString(),
                    text(k.lastUsedAt()));
        }
    }

    @Post(uri = "/organizations", consumes = MediaType.ALL)
    public HttpResponse<OrganizationView> createOrganization(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        auth.requireAdmin(authorization);
        CreateOrganization request = json.read(body, CreateOrganization.class);
        String name = Inputs.required("name", Inputs.optionalText("name", request.name(), 200));
        UnknownFeaturePolicy policy = request.unknownFeature() == null
                ? UnknownFeaturePolicy.ACCEPT_AS_SUM
                : policy(request.unknownFeature());
        String zone = request.timeZone() == null ? DEFAULT_TIME_ZONE : Inputs.timeZone("timeZone", request.timeZone());
        String prefix = request.invoicePrefix() == null ? null : invoicePrefix(request.invoicePrefix());
        PaymentTerms terms = request.paymentTerms() == null
                ? PaymentTerms.DEFAULT
                : PaymentTerms.parse("paymentTerms", request.paymentTerms());
        int graceDays =
                request.graceDays() == null ? OrganizationFields.DEFAULT_GRACE_DAYS : graceDays(request.graceDays());
        AutoFinalizeDelay delay = request.autoFinalizeDelay() == null
                ? AutoFinalizeDelay.DEFAULT
                : AutoFinalizeDelay.parse("autoFinalizeDelay", request.autoFinalizeDelay());
        return HttpResponse.created(OrganizationView.of(tenants.createOrganization(new OrganizationFields(
                name,
                policy,
                zone,
                prefix,
                terms,
                graceDays,
                delay,
                Boolean.TRUE.equals(request.lateUsageCreditNotes())))));
    }

    @Get("/organizations/{id}")
    public OrganizationView organization(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        auth.requireAdmin(authorization);
        return OrganizationView.of(tenants.organization(id));
    }

    @Patch(uri = "/organizations/{id}", consumes = MediaType.ALL)
    public OrganizationView updateOrganization(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        auth.requireAdmin(authorization);
        UpdateOrganization request = json.read(body, UpdateOrganization.class);
        String name = request.name() == null
                ? null
                : Inputs.required("name", Inputs.optionalText("name", request.name(), 200));
        UnknownFeaturePolicy policy = request.unknownFeature() == null ? null : policy(request.unknownFeature());
        String zone = request.timeZone() == null ? null : Inputs.timeZone("timeZone", request.timeZone());
        String prefix = request.invoicePrefix() == null ? null : invoicePrefix(request.invoicePrefix());
        PaymentTerms terms =
                request.paymentTerms() == null ? null : PaymentTerms.parse("paymentTerms", request.paymentTerms());
        Integer graceDays = request.graceDays() == null ? null : graceDays(request.graceDays());
        AutoFinalizeDelay delay = request.autoFinalizeDelay() == null
                ? null
                : AutoFinalizeDelay.parse("autoFinalizeDelay", request.autoFinalizeDelay());
        return OrganizationView.of(tenants.updateOrganization(
                id,
                new OrganizationFields(
                        name, policy, zone, prefix, terms, graceDays, delay, request.lateUsageCreditNotes())));
    }

    private static int graceDays(int value) {
        if (value < 0 || value > OrganizationFields.MAX_GRACE_DAYS) {
            throw BillingException.invalid(
                    "graceDays",
                    "graceDays must be a whole number of days from 0 to " + OrganizationFields.MAX_GRACE_DAYS + " (got "
                            + value + ")");
        }
        return value;
    }

    private static String invoicePrefix(String value) {
        if (!InvoiceNumber.isPrefix(value)) {
            throw BillingException.invalid(
                    "invoicePrefix", "invoicePrefix must be 3 to 12 characters A-Z and 0-9 (got \"" + value + "\")");
        }
        return value;
    }

    private static UnknownFeaturePolicy policy(String value) {
        for (UnknownFeaturePolicy policy : UnknownFeaturePolicy.values()) {
            if (Organization.text(policy).equalsIgnoreCase(value.strip())) {
                return policy;
            }
        }
        throw BillingException.invalid(
                "unknownFeature", "unknownFeature must be accept_as_sum or reject (got \"" + value + "\")");
    }

    @Post(uri = "/organizations/{id}/api-keys", consumes = MediaType.ALL)
    public HttpResponse<KeyView> createKey(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        auth.requireAdmin(authorization);
        CreateKey request = json.read(body, CreateKey.class);
        List<String> scopes = request.scopes() == null ? Scopes.ALL : List.copyOf(request.scopes());
        if (scopes.isEmpty()) {
            throw BillingException.invalid("scopes", "scopes must not be empty");
        }
        for (String scope : scopes) {
            if (!Scopes.ALL.contains(scope)) {
                throw BillingException.invalid("scopes", "unknown scope " + scope + "; known: " + Scopes.ALL);
            }
        }
        Instant expiresAt = Inputs.optionalInstant("expiresAt", request.expiresAt());
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw BillingException.invalid("expiresAt", "expiresAt must be in the future");
        }
        boolean livemode = Boolean.TRUE.equals(request.livemode());
        TenantService.CreatedKey created = tenants.createKey(id, livemode, scopes, expiresAt);
        return HttpResponse.created(KeyView.of(created.key(), created.plaintext()));
    }

    @Get("/organizations/{id}/api-keys")
    public Page<KeyView> listKeys(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        auth.requireAdmin(authorization);
        PageRequest page = PageRequest.of(limit, startingAfter);
        return Page.of(tenants.keys(id, page), page, key -> KeyView.of(key, null));
    }

    @Post(uri = "/api-keys/{idOrPrefix}/revoke", consumes = MediaType.ALL)
    public KeyView revoke(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String idOrPrefix) {
        auth.requireAdmin(authorization);
        return KeyView.of(tenants.revoke(idOrPrefix), null);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
