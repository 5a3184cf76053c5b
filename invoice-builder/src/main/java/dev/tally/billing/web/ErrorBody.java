package dev.tally.billing.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The error body of every failed request: {@code {"error":{"code","message","field"}}}, and on a state
 * conflict (e.g. {@code invoice_state_conflict}) the record's current {@code status}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorBody(Error error) {

    /**
     * The error itself; {@code field} names the offending input when there is one; {@code status}, only on
     * state conflicts (left out otherwise), the status the record is in.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(
            String code,
            String message,
            @Nullable String field,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String status) {}
}
