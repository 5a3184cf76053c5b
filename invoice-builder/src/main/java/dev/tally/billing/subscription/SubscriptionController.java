package dev.tally.billing.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingException;
import dev.tally.billing.cycle.SubscriptionStatus;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Subscriptions of an organization's customers, in the mode of the calling key: create, change items and
 * cancel with {@code billing:write}, read with {@code billing:read}. Every answer with one subscription
 * carries its version as {@code ETag}; a change may require it with {@code If-Match}. Instants are taken
 * on whole seconds (truncated).
 */
@Controller("/v1/subscriptions")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class SubscriptionController {

    /** The longest price or item id a request may name (ids are far shorter). */
    private static final int MAX_ID_LENGTH = 128;

    private static final List<String> STATUSES = Arrays.stream(SubscriptionStatus.values())
            .map(SubscriptionStatus::wireName)
            .toList();

    private final SubscriptionService subscriptions;
    private final Authenticator auth;
    private final JsonBodies json;

    public SubscriptionController(SubscriptionService subscriptions, Authenticator auth, JsonBodies json) {
        this.subscriptions = subscriptions;
        this.auth = auth;
        this.json = json;
    }

    /**
     * The body of a creation: a customer (id or external id) and its items, or the shorthand {@code price}
     * (one item of quantity 1).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateBody(
            @Nullable String customer,
            @Nullable String price,
            @Nullable List<ItemBody> items,
            @Nullable String startAt,
            @Nullable String billingAnchor,
            @Nullable String trialEnd,
            @Nullable String cancelAt,
            @Nullable Boolean cancelAtPeriodEnd) {}

    /** One item of a request: a new one (no id), a change of item {@code id}, or its removal ({@code deleted}). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ItemBody(
            @Nullable String id, @Nullable String price, @Nullable Long quantity, @Nullable Boolean deleted) {}

    /** The body of an item change: the items it adds, changes or removes, from {@code effectiveAt} (default now). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChangeBody(@Nullable List<ItemBody> items, @Nullable String effectiveAt) {}

    /** The body of a cancellation: at the end of the current period, or at {@code at} (default now). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CancelBody(@Nullable Boolean atPeriodEnd, @Nullable String at) {}

    @Post(consumes = MediaType.ALL)
    public HttpResponse<SubscriptionView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreateBody request = json.read(body, CreateBody.class);
        // a customer id (cus_…) or external id: both follow the customer rule
        String customer = Inputs.customer("customer", request.customer());
        List<RequestedItem> items = creationItems(request);
        boolean atPeriodEnd = Boolean.TRUE.equals(request.cancelAtPeriodEnd());
        Instant cancelAt = instant("cancelAt", request.cancelAt());
        if (atPeriodEnd && cancelAt != null) {
            throw BillingException.invalid("cancelAt", "give cancelAt or cancelAtPeriodEnd, not both");
        }
        SubscriptionService.NewSubscription wanted = new SubscriptionService.NewSubscription(
                customer,
                items,
                instant("startAt", request.startAt()),
                instant("billingAnchor", request.billingAnchor()),
                instant("trialEnd", request.trialEnd()),
                cancelAt,
                atPeriodEnd);
        StoredSubscription created = subscriptions.create(key.organizationId(), key.livemode(), wanted);
        return tagged(HttpResponse.created(view(created)), created);
    }

    @Get("/{id}")
    public HttpResponse<SubscriptionView> get(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        StoredSubscription subscription = subscriptions.subscription(key.organizationId(), key.livemode(), id);
        return tagged(HttpResponse.ok(view(subscription)), subscription);
    }

    /** A page of subscriptions, oldest first, of one customer and with one status when they are given. */
    @Get
    public Page<SubscriptionView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String status,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        String customerRef = customer == null ? null : Inputs.customer("customer", customer);
        if (status != null && !STATUSES.contains(status)) {
            throw BillingException.invalid("status", "status must be one of " + STATUSES);
        }
        PageRequest page = PageRequest.of(limit, startingAfter);
        Instant now = subscriptions.now();
        List<StoredSubscription> rows =
                subscriptions.subscriptions(key.organizationId(), key.livemode(), customerRef, status, now, page);
        return Page.of(rows, page, row -> SubscriptionView.of(row, now));
    }

    /** Adds, changes and removes items from {@code effectiveAt}; with {@code If-Match}, only at that version. */
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public HttpResponse<SubscriptionView> update(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @Header(IfMatch.HEADER) @Nullable String ifMatch,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        return changeItems(authorization, ifMatch, id, body);
    }

    /** The same change as {@code PATCH /v1/subscriptions/{id}}. */
    @Post(uri = "/{id}/items", consumes = MediaType.ALL)
    public HttpResponse<SubscriptionView> changeItems(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @Header(IfMatch.HEADER) @Nullable String ifMatch,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        ChangeBody request = json.read(body, ChangeBody.class);
        List<RequestedItem> items = changedItems(request.items());
        StoredSubscription changed = subscriptions.changeItems(
                key.organizationId(),
                key.livemode(),
                id,
                IfMatch.version(ifMatch),
                items,
                instant("effectiveAt", request.effectiveAt()));
        return tagged(HttpResponse.ok(view(changed)), changed);
    }

    @Post(uri = "/{id}/cancel", consumes = MediaType.ALL)
    public HttpResponse<SubscriptionView> cancel(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @Header(IfMatch.HEADER) @Nullable String ifMatch,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CancelBody request = json.read(body, CancelBody.class);
        boolean atPeriodEnd = Boolean.TRUE.equals(request.atPeriodEnd());
        Instant at = instant("at", request.at());
        if (atPeriodEnd && at != null) {
            throw BillingException.invalid("at", "give at or atPeriodEnd, not both");
        }
        StoredSubscription canceled = subscriptions.cancel(
                key.organizationId(), key.livemode(), id, IfMatch.version(ifMatch), atPeriodEnd, at);
        return tagged(HttpResponse.ok(view(canceled)), canceled);
    }

    private static List<RequestedItem> creationItems(CreateBody request) {
        if (request.price() != null) {
            if (request.items() != null) {
                throw BillingException.invalid("price", "give items, or price for a single item, not both");
            }
            return List.of(new RequestedItem("", null, id("price", request.price()), null, false));
        }
        List<RequestedItem> items = new ArrayList<>();
        for (ItemBody item : required(request.items())) {
            String path = "items[" + items.size() + "].";
            if (item.id() != null) {
                throw BillingException.invalid(path + "id", "a new subscription's items get their ids: leave id out");
            }
            if (item.deleted() != null) {
                throw BillingException.invalid(path + "deleted", "a new subscription has no item to delete");
            }
            items.add(new RequestedItem(
                    path, null, id(path + "price", item.price()), quantity(path + "quantity", item.quantity()), false));
        }
        return List.copyOf(items);
    }

    private static List<RequestedItem> changedItems(List<ItemBody> body) {
        List<RequestedItem> items = new ArrayList<>();
        for (ItemBody item : required(body)) {
            String path = "items[" + items.size() + "].";
            boolean deleted = Boolean.TRUE.equals(item.deleted());
            if (deleted && (item.price() != null || item.quantity() != null)) {
                throw BillingException.invalid(
                        path + (item.price() != null ? "price" : "quantity"),
                        "a deleted item takes no price or quantity");
            }
            if (deleted && item.id() == null) {
                throw BillingException.invalid(path + "id", "name the item to delete by its id (si_…)");
            }
            if (!deleted && item.id() != null && item.price() == null && item.quantity() == null) {
                throw BillingException.invalid(
                        path + "price", "give the item a new price, a new quantity or \"deleted\": true");
            }
            items.add(new RequestedItem(
                    path,
                    item.id() == null ? null : id(path + "id", item.id()),
                    item.id() == null || item.price() != null ? id(path + "price", item.price()) : null,
                    quantity(path + "quantity", item.quantity()),
                    deleted));
        }
        return List.copyOf(items);
    }

    private static List<ItemBody> required(List<ItemBody> items) {
        if (items == null || items.isEmpty()) {
            throw BillingException.invalid(
                    "items", "items is required: at least one item, like {\"price\":\"price_…\"}");
        }
        return items;
    }

    /** A price or item id: required, and short enough to be one. */
    private static String id(String field, String value) {
        Inputs.required(field, value);
        if (value.length() > MAX_ID_LENGTH) {
            throw BillingException.invalid(field, field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    private static Long quantity(String field, Long quantity) {
        if (quantity != null && quantity < 0) {
            throw BillingException.invalid(field, field + " must be a whole number, zero or more");
        }
        return quantity;
    }

    /** An optional instant, truncated to its second: every instant of a subscription falls on one. */
    private static Instant instant(String field, String value) {
        Instant instant = Inputs.optionalInstant(field, value);
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private SubscriptionView view(StoredSubscription subscription) {
        return SubscriptionView.of(subscription, subscriptions.now());
    }

    private static HttpResponse<SubscriptionView> tagged(
            MutableHttpResponse<SubscriptionView> response, StoredSubscription subscription) {
        return response.header(
                HttpHeaders.ETAG, IfMatch.etag(subscription.subscription().version()));
    }
}
