package dev.tally.billing.invoicing;

import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.subscription.Subscription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every price a subscription's items name, read as the planner reads them: the one loading of a subscription's
 * prices for whoever plans it (the cycle's writer, one subscription or a batch, and the upcoming invoice).
 */
public final class PlannedPrices {

    private PlannedPrices() {}

    /** The prices of {@code subscription}'s items over its whole {@code timeline}, by price id. */
    public static Map<String, PlannedPrice> of(
            SubscriptionInvoicingDao dao,
            StoredPriceDefinitions definitions,
            Subscription subscription,
            SubscriptionTimeline timeline) {
        Map<String, PlannedPrice> prices = new HashMap<>();
        for (SubscriptionInvoicingDao.StoredPrice price :
                dao.prices(subscription.organizationId(), subscription.livemode(), priceIds(timeline))) {
            prices.put(price.id(), of(definitions, price));
        }
        return prices;
    }

    /** The ids of the prices the items of {@code timeline} name. */
    public static List<String> priceIds(SubscriptionTimeline timeline) {
        return timeline.facts().items().stream()
                .filter(change -> !change.isRemoval())
                .map(ItemChange::priceId)
                .distinct()
                .toList();
    }

    /** A stored price as the planner reads it: a feature only on usage prices. */
    public static PlannedPrice of(StoredPriceDefinitions definitions, SubscriptionInvoicingDao.StoredPrice price) {
        PriceDefinition definition = definitions.read(price.id(), price.definition());
        return new PlannedPrice(
                price.name(), definition, definition.model().kind().ratesUsage() ? price.featureKey() : null);
    }
}
