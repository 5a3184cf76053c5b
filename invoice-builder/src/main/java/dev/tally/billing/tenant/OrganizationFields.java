package dev.tally.billing.tenant;

import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.PaymentTerms;
import dev.tally.schemas.avro.UnknownFeaturePolicy;

/**
 * What an organization is created with or changed to (its {@link Organization} fields but its id and instants).
 * In a change, a null member stays as it is; at creation a null {@code invoicePrefix} takes the default the
 * database derives from the name (V27). {@code graceDays}: how many days after an open invoice fell due its customer
 * goes from {@code overdue} to {@code suspended} (V31). {@code lateUsageCreditNotes}: whether late usage that lowers
 * an invoiced period is credited by a credit note rather than billed as a negative adjustment line (V32).
 */
public record OrganizationFields(
        String name,
        UnknownFeaturePolicy unknownFeature,
        String timeZone,
        String invoicePrefix,
        PaymentTerms paymentTerms,
        Integer graceDays,
        AutoFinalizeDelay autoFinalizeDelay,
        Boolean lateUsageCreditNotes) {

    /** The grace days an organization gets when it names none: a customer is suspended 14 days after it is overdue. */
    public static final int DEFAULT_GRACE_DAYS = 14;

    /** The most grace days an organization can give (V31). */
    public static final int MAX_GRACE_DAYS = 365;

    /** This change applied to {@code current}: each member given here, else current's. */
    public OrganizationFields over(OrganizationFields current) {
        return new OrganizationFields(
                name == null ? current.name() : name,
                unknownFeature == null ? current.unknownFeature() : unknownFeature,
                timeZone == null ? current.timeZone() : timeZone,
                invoicePrefix == null ? current.invoicePrefix() : invoicePrefix,
                paymentTerms == null ? current.paymentTerms() : paymentTerms,
                graceDays == null ? current.graceDays() : graceDays,
                autoFinalizeDelay == null ? current.autoFinalizeDelay() : autoFinalizeDelay,
                lateUsageCreditNotes == null ? current.lateUsageCreditNotes() : lateUsageCreditNotes);
    }
}
