package dev.tally.billing.tenant;

import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import java.time.Instant;
import java.util.Locale;

/**
 * A tenant: everything else belongs to one. {@code unknownFeature} says what ingest does with an
 * event whose feature has no active meter (the settings other services read from the
 * organizations topic); {@code timeZone} (IANA) is the zone its new customers get when they name
 * none; {@code invoicePrefix} starts the numbers of the invoices it finalizes from now on
 * ({@link dev.tally.billing.invoice.InvoiceNumber}); {@code paymentTerms} when its invoices fall due,
 * unless a customer has its own; {@code graceDays} how long its customers stay overdue before they are suspended;
 * {@code autoFinalizeDelay} how long the billing cycle's drafts stay editable; {@code lateUsageCreditNotes} whether
 * late usage lowering an invoiced period is credited by a credit note ({@code LateUsageCredits}).
 */
public record Organization(
        String id,
        String name,
        UnknownFeaturePolicy unknownFeature,
        String timeZone,
        String invoicePrefix,
        PaymentTerms paymentTerms,
        int graceDays,
        Instant createdAt,
        Instant updatedAt,
        AutoFinalizeDelay autoFinalizeDelay,
        boolean lateUsageCreditNotes) {

    /** What this organization was created with or last changed to. */
    public OrganizationFields fields() {
        return new OrganizationFields(
                name,
                unknownFeature,
                timeZone,
                invoicePrefix,
                paymentTerms,
                graceDays,
                autoFinalizeDelay,
                lateUsageCreditNotes);
    }

    /** The policy as the API and the database spell it: {@code accept_as_sum} or {@code reject}. */
    public static String text(UnknownFeaturePolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    /** The policy spelled {@code text} ({@code accept_as_sum} or {@code reject}). */
    public static UnknownFeaturePolicy policy(String text) {
        return UnknownFeaturePolicy.valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** The record published to the compacted organizations topic (key: the organization id). */
    public OrganizationSettings toSettings(Instant now) {
        return OrganizationSettings.newBuilder()
                .setOrganizationId(id)
                .setUnknownFeature(unknownFeature)
                .setUpdatedAt(now)
                .build();
    }
}
