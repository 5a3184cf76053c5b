package dev.tally.billing.tenant;

import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.schemas.avro.UnknownFeaturePolicy;

/**
 * What an organization is created with or changed to (its {@link Organization} fields but its id and instants).
 * In a change, a null member stays as it is; at creation a null {@code invoicePrefix} takes the default the
 * database derives from the name (V27).
 */
public record OrganizationFields(
        String name,
        UnknownFeaturePolicy unknownFeature,
        String timeZone,
        String invoicePrefix,
        PaymentTerms paymentTerms,
        AutoFinalizeDelay autoFinalizeDelay) {

    /** This change applied to {@code current}: each member given here, else current's. */
    public OrganizationFields over(OrganizationFields current) {
        return new OrganizationFields(
                name == null ? current.name() : name,
                unknownFeature == null ? current.unknownFeature() : unknownFeature,
                timeZone == null ? current.timeZone() : timeZone,
                invoicePrefix == null ? current.invoicePrefix() : invoicePrefix,
                paymentTerms == null ? current.paymentTerms() : paymentTerms,
                autoFinalizeDelay == null ? current.autoFinalizeDelay() : autoFinalizeDelay);
    }
}
