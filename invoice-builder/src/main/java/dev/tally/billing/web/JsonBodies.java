package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Reads request bodies. Controllers take the raw body and parse it here so that malformed JSON
 * becomes a {@link BillingException} answered by the module's one exception handler.
 */
@Singleton
public final class JsonBodies {

    private final JsonMapper mapper;

    public JsonBodies(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code body} as a {@code type}; an empty body reads as an empty object. */
    public <T> T read(String body, Class<T> type) {
        String json = body == null || body.isBlank() ? "{}" : body;
        try {
            T value = mapper.readValue(json, Argument.of(type));
            if (value == null) {
                throw new BillingException(ErrorCode.MALFORMED_JSON, "the body must be a JSON object");
            }
            return value;
        } catch (IOException e) {
            throw new BillingException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getMessage());
        }
    }
}
