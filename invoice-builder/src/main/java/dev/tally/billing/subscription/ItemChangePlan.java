package dev.tally.billing.subscription;

import dev.tally.billing.BillingException;
import dev.tally.billing.Ids;
import dev.tally.billing.cycle.ItemBilling;
import dev.tally.billing.cycle.ItemChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's items applied to a subscription's history at one instant {@code at}, no earlier than any
 * recorded change (pure: the history only grows, so every change takes effect from {@code at} to the end).
 * An item changed again in the same second has its earlier change at {@code at} replaced, since it lasted
 * no time; an item added and removed in the same second leaves no trace.
 *
 * @param applied each request with the change it makes
 * @param replaced the items whose recorded change at {@code at} this plan replaces
 * @param written the changes to record (the applied ones, less the removals of items that were never held)
 * @param history the items' history once the plan is recorded
 */
record ItemChangePlan(
        Instant at, List<Applied> applied, List<String> replaced, List<ItemChange> written, List<ItemChange> history) {

    /** A request and the change it makes. */
    record Applied(RequestedItem request, ItemChange change) {}

    /**
     * Applies {@code requests} to {@code recorded} at {@code at}; {@code prices} holds every price a request
     * names. An unknown or twice-named item is a 400 naming the request's {@code id}.
     */
    static ItemChangePlan of(
            List<ItemChange> recorded,
            Instant at,
            List<RequestedItem> requests,
            Map<String, SubscribablePrice> prices) {
        Set<String> named = new HashSet<>();
        List<Applied> applied = new ArrayList<>();
        for (RequestedItem request : requests) {
            if (request.id() != null && !named.add(request.id())) {
                throw BillingException.invalid(
                        request.field("id"), "item " + request.id() + " is named more than once");
            }
            applied.add(new Applied(request, change(recorded, at, request, prices)));
        }
        Set<String> touched = new HashSet<>();
        applied.forEach(a -> touched.add(a.change().itemId()));
        List<ItemChange> base = recorded.stream()
                .filter(c -> !(c.at().equals(at) && touched.contains(c.itemId())))
                .toList();
        List<String> replaced = recorded.stream()
                .filter(c -> c.at().equals(at) && touched.contains(c.itemId()))
                .map(ItemChange::itemId)
                .toList();
        List<ItemChange> written = applied.stream()
                .map(Applied::change)
                .filter(c -> !c.isRemoval() || heldAt(base, c.itemId(), at).isPresent())
                .toList();
        List<ItemChange> history = new ArrayList<>(base);
        history.addAll(written);
        return new ItemChangePlan(at, List.copyOf(applied), replaced, written, List.copyOf(history));
    }

    private static ItemChange change(
            List<ItemChange> recorded, Instant at, RequestedItem request, Map<String, SubscribablePrice> prices) {
        if (request.id() == null) {
            SubscribablePrice price = prices.get(request.priceId());
            long quantity = request.quantity() == null ? 1 : request.quantity();
            return ItemChange.set(at, Ids.next("si"), price.id(), price.billing(), quantity);
        }
        ItemChange current = heldAt(recorded, request.id(), at)
                .orElseThrow(() -> BillingException.invalid(
                        request.field("id"), "the subscription holds no item " + request.id()));
        if (request.deleted()) {
            return ItemChange.removal(at, request.id());
        }
        String priceId = request.priceId() == null ? current.priceId() : request.priceId();
        ItemBilling billing = request.priceId() == null
                ? current.billing()
                : prices.get(priceId).billing();
        if (billing == ItemBilling.USAGE && request.quantity() != null && request.quantity() != 1) {
            throw BillingException.invalid(
                    request.field("quantity"),
                    "item " + request.id() + " rates usage, not a quantity: leave quantity out (or give 1)");
        }
        long quantity;
        if (billing == ItemBilling.USAGE) {
            quantity = 1;
        } else if (request.quantity() != null) {
            quantity = request.quantity();
        } else {
            // a usage item becoming a flat fee starts at one; a flat fee keeps its seats
            quantity = current.billing() == ItemBilling.USAGE ? 1 : current.quantity();
        }
        return ItemChange.set(at, request.id(), priceId, billing, quantity);
    }

    /** The change item {@code itemId} stands at, at {@code at} in {@code changes}, if it is held then. */
    private static Optional<ItemChange> heldAt(List<ItemChange> changes, String itemId, Instant at) {
        return changes.stream()
                .filter(c -> c.itemId().equals(itemId) && !c.at().isAfter(at))
                .max(Comparator.comparing(ItemChange::at))
                .filter(c -> !c.isRemoval());
    }
}
