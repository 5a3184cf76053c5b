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
import dev.tally.schemas.rules.DecimalText;
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
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * The catalog of an organization (key with {@code billing:write}): products, prices, subscriptions
 * (customers have their own {@link CustomerController}).
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CatalogController {

    /** Unit amounts are stored at this scale. */
    public static final int UNIT_AMOUNT_SCALE = 9;

    /**
     * Unit amounts: not negative, below 10^12 of the currency's major unit, at most 9 decimal
     * places. One event's largest quantity (below 10^15, 9 places) times the largest unit amount is
     * below 10^27 with 18 places: exact and cheap in {@link BigDecimal}, and it fits the lines'
     * {@code numeric(38, 9)} quantities. Whether a line's amount fits the {@code bigint} minor units
     * is checked when it is rated (a window may sum many events), failing that customer alone.
     */
    public static final DecimalText.Bounds UNIT_AMOUNT_BOUNDS = new DecimalText.Bounds(12, UNIT_AMOUNT_SCALE, false);

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
    public record CreateProduct(@Nullable String featureKey, @Nullable String name) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreatePrice(@Nullable String product, @Nullable String currency, @Nullable String unitAmount) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateSubscription(@Nullable String customer, @Nullable String price) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ProductView(String id, String featureKey, @Nullable String name, boolean livemode) {
        static ProductView of(Product p) {
            return new ProductView(p.id(), p.featureKey(), p.name(), p.livemode());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PriceView(
            String id, String product, String featureKey, String currency, String unitAmount, boolean livemode) {
        static PriceView of(Price p) {
            return new PriceView(
                    p.id(),
                    p.productId(),
                    p.featureKey(),
                    p.currency(),
                    p.unitAmount().toPlainString(),
                    p.livemode());
        }
    }

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

    @Post(uri = "/products", consumes = MediaType.ALL)
    public HttpResponse<ProductView> createProduct(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreateProduct request = json.read(body, CreateProduct.class);
        Product draft = new Product(
                Ids.next("prod"),
                key.organizationId(),
                key.livemode(),
                Inputs.feature("featureKey", request.featureKey()),
                Inputs.optionalText("name", request.name(), 200));
        Product created = database.jdbi()
                .inTransaction(handle -> new CatalogDao(handle).insertProduct(draft))
                .orElseThrow(() -> new BillingException(
                        ErrorCode.ALREADY_EXISTS,
                        "a product with featureKey " + draft.featureKey() + " exists",
                        "featureKey"));
        return HttpResponse.created(ProductView.of(created));
    }

    @Post(uri = "/prices", consumes = MediaType.ALL)
    public HttpResponse<PriceView> createPrice(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreatePrice request = json.read(body, CreatePrice.class);
        // a product id (prod_…) or its feature key: both follow the feature key rule
        String productRef = Inputs.feature("product", request.product());
        String currency = currency(request.currency() == null ? "USD" : request.currency());
        BigDecimal unitAmount = Inputs.decimal("unitAmount", request.unitAmount(), UNIT_AMOUNT_BOUNDS)
                .setScale(UNIT_AMOUNT_SCALE);
        Price created = database.jdbi().inTransaction(handle -> {
            CatalogDao dao = new CatalogDao(handle);
            Product product = dao.product(key.organizationId(), key.livemode(), productRef)
                    .orElseThrow(() -> BillingException.invalid("product", "no product " + productRef));
            return dao.insertPrice(new Price(
                    Ids.next("price"),
                    key.organizationId(),
                    key.livemode(),
                    product.id(),
                    product.featureKey(),
                    currency,
                    unitAmount));
        });
        return HttpResponse.created(PriceView.of(created));
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

    private static String currency(String code) {
        String upper = code.strip().toUpperCase(Locale.ROOT);
        try {
            Currency currency = Currency.getInstance(upper);
            if (currency.getDefaultFractionDigits() < 0) {
                throw BillingException.invalid(
                        "currency", "currency " + currency.getCurrencyCode() + " has no minor unit");
            }
            return currency.getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw BillingException.invalid("currency", "currency must be an ISO 4217 currency code like USD");
        }
    }
}
