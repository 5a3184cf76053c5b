package dev.tally.billing.creditnote;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The body of {@code POST /v1/invoices/{id}/credit-notes}: {@code reason} (required), {@code outcome} ({@code
 * credit} when absent), {@code memo}, and what to credit: {@code lines} (invoice line ids and quantities), or
 * {@code amount} (a decimal string in the invoice's currency), or neither (all the invoice has left to credit).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreditNoteBody(
        @Nullable String reason,
        @Nullable String outcome,
        @Nullable String memo,
        @Nullable String amount,
        @Nullable List<LineBody> lines) {

    /** A line to credit: the invoice line's id and the quantity of it (a decimal string). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineBody(@Nullable String line, @Nullable String quantity) {}
}
