package dev.tally.billing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Subscriptions of an organization's customers (key with {@code billing:write}); customers,
 * products and prices have their own {@link CustomerController}, {@link ProductController} and
 * {@link PriceController}.
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CatalogController {

    private final BillingDatabase database;
    private final Authenticator auth;
    private final JsonBodies json;

    public CatalogController(BillingDatabase database, Authenticator auth, JsonBodies json) {
        this.database = database;
        this.auth = auth;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateSubscription(@Nullable String customer, @Nullable String price) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SubscriptionView(
            String id,
            String customer,
            String customerExternalId,
            String price,
            String product,
            boolean livemode,
            String createdAt) {
        static SubscriptionView of(Subscription s) {
            return new SubscriptionView(
                    s.id(),
                    s.customerId(),
                    s.customerExternalId(),
                    s.priceId(),
                    s.productId(),
                    s.livemode(),
                    s.createdAt().toString());
        }
    }

    @Post(uri = "/subscriptions", consumes = MediaType.ALL)
    public HttpResponse<SubscriptionView> createSubscription(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreateSubscription request = json.read(body, CreateSubscription.class);
        // a customer id (cus_…) or external id: both follow the customer rule
        String customerRef = Inputs.customer("customer", request.customer());
        String priceRef = Inputs.required("price", request.price());
        Subscription created = database.jdbi().inTransaction(handle -> {
            CatalogDao dao = new CatalogDao(handle);
            Customer customer = dao.customer(key.organizationId(), key.livemode(), customerRef)
                    .orElseThrow(() -> BillingException.invalid("customer", "no customer " + customerRef));
            if (customer.archived()) {
                throw CustomerService.archived(customer.id(), "customer");
            }
            Price price = dao.price(key.organizationId(), key.livemode(), priceRef)
                    .orElseThrow(() -> BillingException.invalid("price", "no price with this id"));
            if (price.unitAmount() == null) {
                // the period close rates per_unit prices; the other models need the invoice planner
                throw BillingException.invalid(
                        "price",
                        "a subscription takes a per_unit price for now; " + price.model()
                                + " prices can be defined and quoted, and are billed once the invoice planner lands");
            }
            return dao.insertSubscription(new Subscription(
                            Ids.next("sub"),
                            key.organizationId(),
                            key.livemode(),
                            customer.id(),
                            customer.externalId(),
                            price.id(),
                            price.productId(),
                            null))
                    .orElseThrow(() -> new BillingException(
                            ErrorCode.ALREADY_EXISTS,
                            "customer " + customerRef + " already has a price for " + price.featureKey(),
                            "price"));
        });
        return HttpResponse.created(SubscriptionView.of(created));
    }
}
