package dev.tally.billing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.invoice.PaymentTerms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * A customer as the API answers it; {@code archived} is true once {@code archivedAt} is set; {@code billingState}
 * ({@code active}, {@code overdue}, {@code suspended}) and since when it holds, from its billing account (V31).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerView(
        String id,
        String externalId,
        @Nullable String name,
        @Nullable String email,
        @Nullable String phone,
        String timeZone,
        @Nullable String currency,
        Map<String, String> appMetadata,
        Map<String, String> internalMetadata,
        @Nullable String paymentTerms,
        long version,
        boolean livemode,
        boolean archived,
        String createdAt,
        String updatedAt,
        @Nullable String archivedAt,
        String billingState,
        String billingStateSince) {

    static CustomerView of(Customer c, BillingAccount account) {
        return new CustomerView(
                c.id(),
                c.externalId(),
                c.name(),
                c.email(),
                c.phone(),
                c.timeZone(),
                c.currency(),
                c.appMetadata(),
                c.internalMetadata(),
                PaymentTerms.textOf(c.paymentTerms()),
                c.version(),
                c.livemode(),
                c.archived(),
                c.createdAt().toString(),
                c.updatedAt().toString(),
                text(c.archivedAt()),
                account.state(),
                account.stateSince().toString());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
