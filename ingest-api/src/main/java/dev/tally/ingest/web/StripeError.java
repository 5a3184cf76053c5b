package dev.tally.ingest.web;

import dev.tally.ingest.IngestException;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An error in Stripe's shape, for the Stripe-compatible route: {@code type} is
 * {@code invalid_request_error} for 4xx answers and {@code api_error} for 5xx, {@code param} the
 * Stripe parameter at fault; {@code code} is the ingest API's stable code.
 */
@Serdeable
public record StripeError(Detail error) {

    /** The error itself. */
    @Serdeable
    public record Detail(String type, String code, String message, String param) {}

    static StripeError of(IngestException e) {
        String type = e.code().status() >= 500 ? "api_error" : "invalid_request_error";
        return new StripeError(new Detail(type, e.code().code(), e.getMessage(), e.field()));
    }
}
