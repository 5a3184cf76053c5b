package dev.tally.billing.catalog;

import dev.tally.billing.BillingException;
import java.util.Set;

/**
 * A checked PATCH of a customer: the fields it names, with their new values ({@code values} holds
 * null for a field cleared; the metadata of a cleared object is empty), and the external id it
 * repeats, if any (never changed: usage events and the ledger name the customer by it).
 */
public record CustomerPatch(String externalId, Set<String> named, CustomerFields values) {

    /** The fields of {@code current} with this patch applied. */
    public CustomerFields applyTo(Customer current) {
        if (externalId != null && !externalId.equals(current.externalId())) {
            throw BillingException.invalid(
                    "externalId",
                    "externalId cannot change: usage events and the ledger name the customer by it"
                            + " (create another customer instead)");
        }
        CustomerFields now = current.fields();
        return new CustomerFields(
                named.contains("name") ? values.name() : now.name(),
                named.contains("email") ? values.email() : now.email(),
                named.contains("phone") ? values.phone() : now.phone(),
                named.contains("timeZone") ? values.timeZone() : now.timeZone(),
                named.contains("currency") ? values.currency() : now.currency(),
                named.contains("appMetadata") ? values.appMetadata() : now.appMetadata(),
                named.contains("internalMetadata") ? values.internalMetadata() : now.internalMetadata(),
                named.contains("paymentTerms") ? values.paymentTerms() : now.paymentTerms());
    }
}
