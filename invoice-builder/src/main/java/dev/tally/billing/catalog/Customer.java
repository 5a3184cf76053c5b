package dev.tally.billing.catalog;

import dev.tally.billing.invoice.PaymentTerms;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * A customer of an organization, known to its apps by {@code externalId} (the id in usage events,
 * never changed once created). {@code version} starts at 1 and grows by one with every change;
 * an archived customer ({@code archivedAt} set) keeps its row, invoices and usage, and is read-only.
 */
public record Customer(
        String id,
        String organizationId,
        boolean livemode,
        String externalId,
        String name,
        String email,
        String phone,
        String timeZone,
        String currency,
        Map<String, String> appMetadata,
        Map<String, String> internalMetadata,
        PaymentTerms paymentTerms,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant archivedAt) {

    /** The fields a PATCH may change, as they are now. */
    public CustomerFields fields() {
        return new CustomerFields(name, email, phone, timeZone, currency, appMetadata, internalMetadata, paymentTerms);
    }

    /** The zone the customer's billing periods follow (an IANA name). */
    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public boolean archived() {
        return archivedAt != null;
    }
}
