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
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
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
import java.util.List;
import java.util.Set;

/**
 * Products ({@code billing:write} to create and change, {@code billing:read} to read): metered
 * ones by the feature their usage events name, recurring and one-time ones for flat fees. A
 * product is never deleted: {@code active: false} stops new prices and keeps everything billed.
 */
@Controller("/v1/products")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ProductController {

    private static final Set<String> TYPES = Set.of(Product.METERED, Product.RECURRING, Product.ONE_TIME);
    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 1000;

    private final BillingDatabase database;
    private final Authenticator auth;
    private final JsonBodies json;

    public ProductController(BillingDatabase database, Authenticator auth, JsonBodies json) {
        this.database = database;
        this.auth = auth;
        this.json = json;
    }

    /** The body of {@code POST /v1/products}; {@code type} defaults to metered, {@code active} to true. */
    @Serdeable
    public record CreateProduct(
            @Nullable String featureKey,
            @Nullable String name,
            @Nullable String description,
            @Nullable String type,
            @Nullable Boolean active) {}

    /** The body of {@code PATCH /v1/products/{id}}: the members it names change, null clears text. */
    @Serdeable
    public record ChangeProduct(@Nullable String name, @Nullable String description, @Nullable Boolean active) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ProductView(
            String id,
            String type,
            @Nullable String featureKey,
            @Nullable String name,
            @Nullable String description,
            boolean active,
            boolean livemode,
            String createdAt) {
        static ProductView of(Product p) {
            return new ProductView(
                    p.id(),
                    p.type(),
                    p.featureKey(),
                    p.name(),
                    p.description(),
                    p.active(),
                    p.livemode(),
                    p.createdAt().toString());
        }
    }

    @Post(consumes = MediaType.ALL)
    public HttpResponse<ProductView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreateProduct request = json.read(body, CreateProduct.class);
        String type = request.type() == null ? Product.METERED : type(request.type());
        String featureKey = null;
        if (type.equals(Product.METERED)) {
            featureKey = Inputs.feature("featureKey", request.featureKey());
        } else if (request.featureKey() != null) {
            throw BillingException.invalid(
                    "featureKey", "featureKey belongs to metered products: a " + type + " product bills a flat fee");
        }
        Product draft = new Product(
                Ids.next("prod"),
                key.organizationId(),
                key.livemode(),
                featureKey,
                Inputs.optionalText("name", request.name(), MAX_NAME),
                Inputs.optionalText("description", request.description(), MAX_DESCRIPTION),
                type,
                request.active() == null || request.active(),
                null);
        Product created = database.jdbi()
                .inTransaction(handle -> handle.attach(ProductDao.class).insert(draft))
                .orElseThrow(() -> new BillingException(
                        ErrorCode.ALREADY_EXISTS,
                        "a product with featureKey " + draft.featureKey() + " exists",
                        "featureKey"));
        return HttpResponse.created(ProductView.of(created));
    }

    /**
     * A page of products, oldest first; {@code type}, {@code active} ({@code true} / {@code false},
     * absent: both) and {@code featureKey} narrow it.
     */
    @Get
    public Page<ProductView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String type,
            @QueryValue @Nullable String active,
            @QueryValue @Nullable String featureKey,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        ProductQuery query = new ProductQuery(
                type == null ? null : type(type),
                Inputs.optionalFlag("active", active),
                featureKey == null ? null : Inputs.feature("featureKey", featureKey));
        PageRequest page = PageRequest.of(limit, startingAfter);
        List<Product> rows = database.jdbi().withHandle(handle -> {
            ProductDao products = handle.attach(ProductDao.class);
            if (page.startingAfter() != null
                    && !products.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return products.page(key.organizationId(), key.livemode(), query, page.startingAfter(), page.probe());
        });
        return Page.of(rows, page, ProductView::of);
    }

    @Get("/{id}")
    public ProductView get(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return ProductView.of(database.jdbi()
                .withHandle(handle ->
                        handle.attach(ProductDao.class).findByIdOrFeature(key.organizationId(), key.livemode(), id))
                .orElseThrow(() -> BillingException.notFound("product " + Inputs.withoutControls("id", id))));
    }

    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public ProductView change(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        JsonBodies.Partial<ChangeProduct> partial = json.readPartial(body, ChangeProduct.class);
        ChangeProduct request = partial.request();
        if (partial.names("active") && request.active() == null) {
            throw BillingException.invalid("active", "active must be true or false");
        }
        return ProductView.of(database.jdbi().inTransaction(handle -> {
            ProductDao products = handle.attach(ProductDao.class);
            Product current = products.findByIdOrFeature(key.organizationId(), key.livemode(), id)
                    .filter(p -> p.id().equals(id))
                    .orElseThrow(() -> BillingException.notFound("product " + Inputs.withoutControls("id", id)));
            return products.update(
                            key.organizationId(),
                            key.livemode(),
                            current.id(),
                            partial.names("name")
                                    ? Inputs.optionalText("name", request.name(), MAX_NAME)
                                    : current.name(),
                            partial.names("description")
                                    ? Inputs.optionalText("description", request.description(), MAX_DESCRIPTION)
                                    : current.description(),
                            partial.names("active") ? request.active() : current.active())
                    .orElseThrow();
        }));
    }

    /** {@code value}, which must be one of the product types. */
    private static String type(String value) {
        if (!TYPES.contains(value)) {
            throw BillingException.invalid("type", "type must be metered, recurring or one_time");
        }
        return value;
    }
}
