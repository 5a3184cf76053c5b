package dev.tally.billing.catalog;

import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceValidation;
import dev.tally.billing.rating.PriceValidator;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads the definition {@code billing.prices.definition} stores (the canonical {@link PriceBody} the price
 * API wrote) as the rating package's {@link PriceDefinition}, through the one reading of a price ({@link
 * PriceValidator}): for the price API's views and quotes and for the billing cycle, so a quote rates a price
 * exactly as the invoice does.
 */
@Singleton
public final class StoredPriceDefinitions {

    private final ObjectMapper mapper;

    public StoredPriceDefinitions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The definition of price {@code priceId} stored as {@code json}.
     *
     * @throws IllegalStateException if it is not a valid price (the API stores only valid ones)
     */
    public PriceDefinition read(String priceId, String json) {
        return switch (PriceValidator.validate(body(priceId, json).input())) {
            case PriceValidation.Valid valid -> valid.price();
            case PriceValidation.Invalid invalid ->
                throw new IllegalStateException(
                        "price " + priceId + ": its stored definition is not valid: " + invalid.problems());
        };
    }

    /** The canonical body of price {@code priceId} stored as {@code json}, as the price API shows it. */
    public PriceBody body(String priceId, String json) {
        try {
            return mapper.readValue(json, PriceBody.class);
        } catch (IOException e) {
            throw new UncheckedIOException("price " + priceId + ": its stored definition is not JSON", e);
        }
    }
}
