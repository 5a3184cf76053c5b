package dev.tally.billing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccounts;
import dev.tally.billing.account.BillingState;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.IfMatch;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
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
import java.util.List;
import java.util.Map;

/**
 * The customers of an organization, in the mode of the calling key: create, change and archive
 * with {@code billing:write}, read with {@code billing:read}. Every answer with one customer
 * carries its version as {@code ETag}; a PATCH may require it with {@code If-Match}.
 */
@Controller("/v1/customers")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CustomerController {

    private final CustomerService customers;
    private final BillingAccounts accounts;
    private final Authenticator auth;
    private final JsonBodies json;

    public CustomerController(
            CustomerService customers, BillingAccounts accounts, Authenticator auth, JsonBodies json) {
        this.customers = customers;
        this.accounts = accounts;
        this.auth = auth;
        this.json = json;
    }

    /**
     * The body of a create ({@code externalId} required, the rest optional) and of a PATCH (a member
     * left out stays as it is, a member given null is cleared: the metadata objects become empty,
     * {@code timeZone} cannot be cleared, and {@code externalId} may only repeat the customer's own).
     * {@code paymentTerms} ({@code net_0} … {@code net_90}) overrides the organization's; null: the
     * organization's.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CustomerBody(
            @Nullable String externalId,
            @Nullable String name,
            @Nullable String email,
            @Nullable String phone,
            @Nullable String timeZone,
            @Nullable String currency,
            @Nullable Map<String, String> appMetadata,
            @Nullable Map<String, String> internalMetadata,
            @Nullable String paymentTerms) {}

    /** Creates a customer; without a {@code timeZone} it gets its organization's. */
    @Post(consumes = MediaType.ALL)
    public HttpResponse<CustomerView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CustomerBody request = json.read(body, CustomerBody.class);
        String externalId = Inputs.customer("externalId", request.externalId());
        CustomerFields fields = checked(request, request.timeZone() != null);
        Customer created = customers.create(key.organizationId(), key.livemode(), externalId, fields);
        return tagged(HttpResponse.created(view(created)), created);
    }

    /**
     * A page of customers, oldest first: the active ones, or with {@code archived=true} the archived
     * ones; {@code email}, {@code externalId}, {@code createdAfter}, {@code createdBefore} and {@code billingState}
     * narrow it.
     */
    @Get
    public Page<CustomerView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String email,
            @QueryValue @Nullable String externalId,
            @QueryValue @Nullable String archived,
            @QueryValue @Nullable String createdAfter,
            @QueryValue @Nullable String createdBefore,
            @QueryValue @Nullable String billingState,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        CustomerQuery query = new CustomerQuery(
                Inputs.optionalBoolean("archived", archived),
                CustomerRules.email("email", email),
                externalId == null ? null : Inputs.customer("externalId", externalId),
                Inputs.optionalInstant("createdAfter", createdAfter),
                Inputs.optionalInstant("createdBefore", createdBefore),
                billingState == null
                        ? null
                        : BillingState.parse("billingState", billingState).text());
        PageRequest page = PageRequest.of(limit, startingAfter);
        List<Customer> rows = customers.customers(key.organizationId(), key.livemode(), query, page);
        Map<String, BillingAccount> billing = accounts.of(
                key.organizationId(),
                key.livemode(),
                rows.stream().map(Customer::id).toList());
        return Page.of(rows, page, c -> CustomerView.of(c, BillingAccounts.orActive(billing, c.id(), c.createdAt())));
    }

    @Get("/{id}")
    public HttpResponse<CustomerView> get(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        Customer customer = customers.customer(key.organizationId(), key.livemode(), id);
        return tagged(HttpResponse.ok(view(customer)), customer);
    }

    /** Changes the fields the body names; with {@code If-Match}, only the version it names. */
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public HttpResponse<CustomerView> update(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @Header(IfMatch.HEADER) @Nullable String ifMatch,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        JsonBodies.Partial<CustomerBody> partial = json.readPartial(body, CustomerBody.class);
        CustomerBody request = partial.request();
        CustomerPatch patch = new CustomerPatch(
                partial.names("externalId") ? Inputs.customer("externalId", request.externalId()) : null,
                partial.members(),
                checked(request, partial.names("timeZone")));
        Customer updated = customers.update(key.organizationId(), key.livemode(), id, IfMatch.version(ifMatch), patch);
        return tagged(HttpResponse.ok(view(updated)), updated);
    }

    /** Archives the customer; archiving it again answers the same archived customer. */
    @Post(uri = "/{id}/archive", consumes = MediaType.ALL)
    public HttpResponse<CustomerView> archive(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        Customer archived = customers.archive(key.organizationId(), key.livemode(), id);
        return tagged(HttpResponse.ok(view(archived)), archived);
    }

    /** The fields of {@code request}, each checked by its rule; a zone only when {@code zoneGiven}. */
    private static CustomerFields checked(CustomerBody request, boolean zoneGiven) {
        return new CustomerFields(
                CustomerRules.name("name", request.name()),
                CustomerRules.email("email", request.email()),
                CustomerRules.phone("phone", request.phone()),
                zoneGiven ? Inputs.timeZone("timeZone", request.timeZone()) : null,
                CustomerRules.currency("currency", request.currency()),
                CustomerRules.metadata("appMetadata", request.appMetadata()),
                CustomerRules.metadata("internalMetadata", request.internalMetadata()),
                request.paymentTerms() == null ? null : PaymentTerms.parse("paymentTerms", request.paymentTerms()));
    }

    private CustomerView view(Customer customer) {
        Map<String, BillingAccount> billing =
                accounts.of(customer.organizationId(), customer.livemode(), List.of(customer.id()));
        return CustomerView.of(customer, BillingAccounts.orActive(billing, customer.id(), customer.createdAt()));
    }

    private static HttpResponse<CustomerView> tagged(MutableHttpResponse<CustomerView> response, Customer customer) {
        return response.header(HttpHeaders.ETAG, IfMatch.etag(customer.version()));
    }
}
