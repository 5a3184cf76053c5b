package dev.tally.billing.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The error body of every failed request: {@code {"error":{"code","message","field"}}}. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorBody(Error error) {

    /** The error itself; {@code field} names the offending input when there is one. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(String code, String message, @Nullable String field) {}
}
