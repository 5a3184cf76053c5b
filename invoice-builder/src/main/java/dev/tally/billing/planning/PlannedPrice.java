package dev.tally.billing.planning;

import dev.tally.billing.rating.PriceDefinition;
import java.util.Objects;

/**
 * A price as the planner needs it: what it charges, what its lines call it, and for a usage price the feature
 * whose ledger usage it rates.
 *
 * @param name what the line's description calls the price (e.g. its product's name: "Pro plan")
 * @param definition what the price charges
 * @param featureKey the metered feature of a usage price; null exactly when the price is a flat fee
 */
public record PlannedPrice(String name, PriceDefinition definition, String featureKey) {

    public PlannedPrice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
        boolean usage = definition.model().kind().ratesUsage();
        if (usage != (featureKey != null)) {
            throw new IllegalArgumentException(
                    usage ? "a usage price needs the feature it rates" : "a flat fee rates no feature");
        }
    }

    /** Whether the price rates usage (every model but flat). */
    public boolean ratesUsage() {
        return featureKey != null;
    }
}
