package dev.tally.billing.export;

import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.CustomerRules;
import dev.tally.billing.invoice.InvoiceController;
import dev.tally.billing.web.Inputs;
import java.time.Duration;
import java.time.Instant;

/**
 * Which invoices an export reads: of an organization and mode, created in {@code [from, to)}, and when not
 * null of one customer ({@code cus_…} id), in one status and in one currency.
 */
public record ExportFilter(
        String organizationId,
        boolean livemode,
        Instant from,
        Instant to,
        String customerId,
        String status,
        String currency) {

    /** The query's fields, checked; each bad one is a 400 naming it. The customer is still a reference. */
    public record Request(Instant from, Instant to, String customer, String status, String currency) {

        /** Checks the query parameters against the rules of the invoice list and {@code maxRange}. */
        public static Request of(
                String from, String to, String customer, String status, String currency, Duration maxRange) {
            Instant start = Inputs.instant("from", from);
            Instant end = Inputs.instant("to", to);
            if (!end.isAfter(start)) {
                throw BillingException.invalid("to", "to must be after from");
            }
            if (Duration.between(start, end).compareTo(maxRange) > 0) {
                throw BillingException.invalid(
                        "to", "an export covers at most " + maxRange.toDays() + " days from from to to");
            }
            if (status != null && !InvoiceController.STATUSES.contains(status)) {
                throw BillingException.invalid("status", "status must be one of " + InvoiceController.STATUSES);
            }
            return new Request(
                    start,
                    end,
                    customer == null ? null : Inputs.customer("customer", customer),
                    status,
                    CustomerRules.currency("currency", currency));
        }

        /** The filter of this request in an organization and mode, its customer resolved to {@code customerId}. */
        public ExportFilter in(String organizationId, boolean livemode, String customerId) {
            return new ExportFilter(organizationId, livemode, from, to, customerId, status, currency);
        }
    }
}
