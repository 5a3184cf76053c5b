package dev.tally.billing.export;

import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.InvoiceFilter;
import dev.tally.billing.web.Inputs;
import java.time.Duration;
import java.time.Instant;

/**
 * Which invoices an export reads: of an organization and mode, created in {@code [from, to)} (a range an export
 * must name, at most the configured days long), and matching the invoice list's filter ({@link InvoiceFilter},
 * the same parameters with the same rules).
 */
public record ExportFilter(String organizationId, boolean livemode, Instant from, Instant to, InvoiceFilter invoices) {

    /** The query's fields, checked; each bad one is a 400 naming it. The customer is still a reference. */
    public record Request(Instant from, Instant to, InvoiceFilter.Request invoices) {

        /** Checks the query parameters against the rules of the invoice list and {@code maxRange}. */
        public static Request of(String from, String to, InvoiceFilter.Params list, Duration maxRange) {
            Instant start = Inputs.instant("from", from);
            Instant end = Inputs.instant("to", to);
            if (!end.isAfter(start)) {
                throw BillingException.invalid("to", "to must be after from");
            }
            if (Duration.between(start, end).compareTo(maxRange) > 0) {
                throw BillingException.invalid(
                        "to", "an export covers at most " + maxRange.toDays() + " days from from to to");
            }
            return new Request(start, end, list.checked());
        }

        /**
         * The filter of this request in an organization and mode, its customer resolved to {@code customerId},
         * {@code status=overdue} read at {@code now}.
         */
        public ExportFilter in(String organizationId, boolean livemode, String customerId, Instant now) {
            return new ExportFilter(organizationId, livemode, from, to, invoices.in(customerId, now));
        }
    }
}
