package dev.tally.billing.invoice;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The statuses of an invoice, as {@code billing.invoices.status} stores them and the API shows them. V26's
 * trigger allows exactly these transitions: draft to finalized (open); finalized to paid, void or
 * uncollectible; uncollectible to paid (a late payment) or void. Paid and void are final.
 */
public enum InvoiceStatus {
    DRAFT,
    FINALIZED,
    PAID,
    VOID,
    UNCOLLECTIBLE;

    /** Every status by its name, as the list and the exports filter on them. */
    public static final Set<String> NAMES =
            Arrays.stream(values()).map(InvoiceStatus::text).collect(Collectors.toUnmodifiableSet());

    /** The stored and shown name: {@code finalized}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code status} (a stored name) is this one. */
    public boolean is(String status) {
        return text().equals(status);
    }
}
