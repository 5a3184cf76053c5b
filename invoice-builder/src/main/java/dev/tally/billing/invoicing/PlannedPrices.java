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
 * prices for whoever plans it (the upcoming invoice; the cycle writer may call it too).
 */
public final class PlannedPrices {

    private PlannedPrices() {}

    /** The prices of {@code subscription}'s items over its whole {@code timeline}, by price id. */
    public static Map<String, PlannedPrice> of(
            SubscriptionInvoicingDao dao,
            StoredPriceDefinitions definitions,
            Subscription subscription,
            SubscriptionTimeline timeline) {
        List<String> ids = timeline.facts().items().stream()
                .filter(change -> !change.isRemoval())
                .map(ItemChange::priceId)
                .distinct()
                .toList();
        Map<String, PlannedPrice> prices = new HashMap<>();
        for (SubscriptionInvoicingDao.StoredPrice price :
                dao.prices(subscription.organizationId(), subscription.livemode(), ids)) {
            PriceDefinition definition = definitions.read(price.id(), price.definition());
            prices.put(
                    price.id(),
                    new PlannedPrice(
                            price.name(),
                            definition,
                            definition.model().kind().ratesUsage() ? price.featureKey() : null));
        }
        return prices;
    }
}
