package dev.tally.billing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.Ids;
import dev.tally.billing.rating.FieldProblem;
import dev.tally.billing.rating.PriceBounds;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.PriceRater;
import dev.tally.billing.rating.PriceValidation;
import dev.tally.billing.rating.PriceValidator;
import dev.tally.billing.rating.RatedPart;
import dev.tally.billing.rating.RatedUsage;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Prices of every model ({@code billing:write} to create, {@code billing:read} to read and quote).
 * A price is immutable: a change is a new price, and invoices cite the price they used. {@code
 * POST /v1/prices/{id}/quote} rates a period's usage with {@link PriceRater}, the function
 * invoices are rated with.
 */
@Controller("/v1/prices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class PriceController {

    private final BillingDatabase database;
    private final Authenticator auth;
    private final JsonBodies json;
    private final ObjectMapper mapper;
    private final StoredPriceDefinitions definitions;

    public PriceController(
            BillingDatabase database,
            Authenticator auth,
            JsonBodies json,
            ObjectMapper mapper,
            StoredPriceDefinitions definitions) {
        this.database = database;
        this.auth = auth;
        this.json = json;
        this.mapper = mapper;
        this.definitions = definitions;
    }

    /** The body of {@code POST /v1/prices}: the product, then the definition's fields. */
    @Serdeable
    public record CreatePrice(
            @Nullable String product,
            @Nullable String currency,
            @Nullable String model,
            @Nullable String flatAmount,
            @Nullable String unitAmount,
            @Nullable List<PriceBody.TierBody> tiers,
            @Nullable String packageSize,
            @Nullable String packageAmount,
            @Nullable String rate,
            @Nullable String fixedAmountPerEvent,
            @Nullable String freeUnits,
            @Nullable String minimumAmount,
            @Nullable String maximumAmount,
            @Nullable String interval,
            @Nullable Integer intervalCount,
            @Nullable String billingTiming) {

        /**
         * The definition with the defaults of the first, per-unit-only API: currency USD, model
         * per_unit when a unitAmount is given, and a monthly interval for usage models.
         */
        PriceBody definition() {
            String definedModel = model == null && unitAmount != null ? "per_unit" : model;
            boolean usage = definedModel != null && !definedModel.equals("flat");
            return new PriceBody(
                    currency == null ? "USD" : currency.strip().toUpperCase(java.util.Locale.ROOT),
                    definedModel,
                    flatAmount,
                    unitAmount,
                    tiers,
                    packageSize,
                    packageAmount,
                    rate,
                    fixedAmountPerEvent,
                    freeUnits,
                    minimumAmount,
                    maximumAmount,
                    interval == null && usage && intervalCount == null ? "month" : interval,
                    intervalCount,
                    billingTiming);
        }
    }

    /** The body of a quote: a period's usage. */
    @Serdeable
    public record QuoteRequest(@Nullable String quantity, @Nullable Long eventCount) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record QuoteView(String currency, String amount, long amountMinor, List<PartView> breakdown) {
        static QuoteView of(RatedUsage rated) {
            return new QuoteView(
                    rated.currency(),
                    rated.amount().toPlainString(),
                    rated.amountMinor(),
                    rated.breakdown().stream().map(PartView::of).toList());
        }
    }

    /** One part of a quote's breakdown: a tier, a package, a fee, an adjustment to the minimum or maximum. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PartView(
            String kind,
            @Nullable Integer tierIndex,
            @Nullable String quantity,
            @Nullable String unitAmount,
            String amount) {
        static PartView of(RatedPart part) {
            return new PartView(
                    part.kind().wireName(),
                    part.tierIndex(),
                    plain(part.quantity()),
                    plain(part.unitAmount()),
                    part.amount().toPlainString());
        }
    }

    /** A price: its id, product and feature, and its definition's fields (those of its model) beside them. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PriceView(
            String id,
            String product,
            String featureKey,
            boolean livemode,
            @JsonUnwrapped PriceBody definition,
            String createdAt) {}

    @Post(consumes = MediaType.ALL)
    public HttpResponse<PriceView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreatePrice request = json.read(body, CreatePrice.class);
        // a product id (prod_…) or its feature key: both follow the feature key rule
        String productRef = Inputs.feature("product", request.product());
        PriceDefinition price = validated(request.definition());
        Price created = database.jdbi().inTransaction(handle -> {
            PriceDao prices = handle.attach(PriceDao.class);
            Product product = handle.attach(ProductDao.class)
                    .findByIdOrFeature(key.organizationId(), key.livemode(), productRef)
                    .orElseThrow(() -> BillingException.invalid("product", "no product " + productRef));
            requirePriceable(product, price);
            Price draft = new Price(
                    Ids.next("price"),
                    key.organizationId(),
                    key.livemode(),
                    product.id(),
                    product.featureKey(),
                    price.currency(),
                    price.model() instanceof PriceModel.PerUnit perUnit ? perUnit.unitAmount() : null,
                    price.model().kind().wireName(),
                    write(PriceBody.of(price)),
                    null);
            prices.insert(draft);
            return prices.find(draft.organizationId(), draft.livemode(), draft.id())
                    .orElseThrow();
        });
        return HttpResponse.created(view(created));
    }

    /**
     * A page of prices, oldest first; {@code product} (its id or feature key), {@code currency},
     * {@code model} and {@code active} (prices of active or of inactive products) narrow it.
     */
    @Get
    public Page<PriceView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String product,
            @QueryValue @Nullable String currency,
            @QueryValue @Nullable String model,
            @QueryValue @Nullable String active,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        String productRef = product == null ? null : Inputs.feature("product", product);
        String code = CustomerRules.currency("currency", currency);
        String modelName = model == null ? null : modelName(model);
        Boolean productActive = Inputs.optionalFlag("active", active);
        PageRequest page = PageRequest.of(limit, startingAfter);
        List<Price> rows = database.jdbi().withHandle(handle -> {
            PriceDao prices = handle.attach(PriceDao.class);
            if (page.startingAfter() != null
                    && !prices.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            String productId = null;
            if (productRef != null) {
                Optional<Product> named = handle.attach(ProductDao.class)
                        .findByIdOrFeature(key.organizationId(), key.livemode(), productRef);
                if (named.isEmpty()) {
                    return List.<Price>of(); // a filter naming no product matches no price
                }
                productId = named.get().id();
            }
            PriceQuery query = new PriceQuery(productId, code, modelName, productActive);
            return prices.page(key.organizationId(), key.livemode(), query, page.startingAfter(), page.probe());
        });
        return Page.of(rows, page, this::view);
    }

    @Get("/{id}")
    public PriceView get(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return view(find(key, id));
    }

    @Post(uri = "/{id}/quote", consumes = MediaType.ALL)
    public QuoteView quote(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        QuoteRequest request = json.read(body, QuoteRequest.class);
        // a period's quantity: many events' worth, so the period bound, not one event's
        BigDecimal quantity = Inputs.decimal("quantity", request.quantity(), PriceBounds.QUANTITY);
        long eventCount = request.eventCount() == null ? 0 : request.eventCount();
        if (eventCount < 0) {
            throw BillingException.invalid("eventCount", "eventCount must be zero or positive");
        }
        Price stored = find(key, id);
        PriceDefinition price = definitions.read(stored.id(), stored.definition());
        try {
            return QuoteView.of(PriceRater.rate(price, quantity, eventCount));
        } catch (ArithmeticException e) {
            throw BillingException.invalid("quantity", "the amount for this quantity is too large: " + e.getMessage());
        }
    }

    /**
     * A metered product takes usage prices, a recurring one flat fees per period, a one-time one
     * flat fees once; an inactive product takes none.
     */
    private static void requirePriceable(Product product, PriceDefinition price) {
        if (!product.active()) {
            throw BillingException.invalid("product", "product " + product.id() + " is not active");
        }
        boolean flat = price.model() instanceof PriceModel.Flat;
        String expected = !flat ? Product.METERED : price.interval() == null ? Product.ONE_TIME : Product.RECURRING;
        if (!expected.equals(product.type())) {
            throw BillingException.invalid(
                    "product",
                    "a " + price.model().kind().wireName() + (flat && price.interval() == null ? " one-time" : "")
                            + " price belongs to a " + expected + " product; " + product.id() + " is "
                            + product.type());
        }
    }

    private Price find(ApiKeyPrincipal key, String id) {
        return database.jdbi()
                .withHandle(handle -> handle.attach(PriceDao.class).find(key.organizationId(), key.livemode(), id))
                .orElseThrow(() -> BillingException.notFound("price " + Inputs.withoutControls("id", id)));
    }

    /** {@code value}, which must name a price model exactly ({@code per_unit}, not {@code PER_UNIT}). */
    private static String modelName(String value) {
        return PriceModel.Kind.fromWireName(value)
                .map(PriceModel.Kind::wireName)
                .orElseThrow(() -> BillingException.invalid(
                        "model",
                        "model must be one of "
                                + Arrays.stream(PriceModel.Kind.values())
                                        .map(PriceModel.Kind::wireName)
                                        .collect(Collectors.joining(", "))));
    }

    /** The definition as a price, or a 400 naming the first problem's field (and counting the others). */
    private static PriceDefinition validated(PriceBody definition) {
        return switch (PriceValidator.validate(definition.input())) {
            case PriceValidation.Valid valid -> valid.price();
            case PriceValidation.Invalid invalid -> {
                FieldProblem first = invalid.problems().getFirst();
                String others = invalid.problems().size() == 1
                        ? ""
                        : " (and "
                                + invalid.problems().stream()
                                        .skip(1)
                                        .map(p -> p.path() + ": " + p.code().wireName())
                                        .collect(Collectors.joining(", "))
                                + ")";
                throw BillingException.invalid(first.path(), first.message() + others);
            }
        };
    }

    private PriceView view(Price price) {
        return new PriceView(
                price.id(),
                price.productId(),
                price.featureKey(),
                price.livemode(),
                definitions.body(price.id(), price.definition()),
                price.createdAt().toString());
    }

    private String write(PriceBody definition) {
        try {
            return mapper.writeValueAsString(definition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
