package dev.tally.billing.catalog;

import dev.tally.billing.invoice.PaymentTerms;
import java.util.Map;

/**
 * The mutable fields of a customer, already checked by {@link CustomerRules}. {@code timeZone} is
 * null only in a customer about to be created without one: the database then gives it its
 * organization's. The metadata maps are never null (empty when there is none). {@code paymentTerms} null:
 * the organization's.
 */
public record CustomerFields(
        String name,
        String email,
        String phone,
        String timeZone,
        String currency,
        Map<String, String> appMetadata,
        Map<String, String> internalMetadata,
        PaymentTerms paymentTerms) {

    /** {@code appMetadata} as the JSON text stored in the {@code jsonb} column. */
    public String appMetadataJson() {
        return Metadata.toJson(appMetadata);
    }

    /** {@code paymentTerms} as stored: its days, or null for the organization's. */
    public Integer paymentTermsDays() {
        return paymentTerms == null ? null : paymentTerms.days();
    }

    /** {@code internalMetadata} as the JSON text stored in the {@code jsonb} column. */
    public String internalMetadataJson() {
        return Metadata.toJson(internalMetadata);
    }
}
