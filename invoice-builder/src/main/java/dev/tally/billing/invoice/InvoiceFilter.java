package dev.tally.billing.invoice;

import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.CustomerRules;
import dev.tally.billing.web.Inputs;
import dev.tally.schemas.rules.Currencies;
import dev.tally.schemas.rules.DecimalText;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which invoices the list and the CSV exports read, beyond their organization and mode; every member is optional
 * (null: no condition). {@code status} is a stored status; {@code overdue} narrows to open invoices past due at
 * {@code now} (the list's {@code status=overdue}). The period lies within {@code [periodFrom, periodTo]}; the
 * creation and the due date within {@code [from, to)}; the total within {@code [amountMinMinor, amountMaxMinor]},
 * in the minor units of {@code currency} (an amount range needs a currency: totals in different currencies do
 * not compare). {@link #WHERE} is the one SQL of these conditions.
 */
public record InvoiceFilter(
        String customerId,
        String status,
        boolean overdue,
        Instant now,
        String number,
        Instant periodFrom,
        Instant periodTo,
        Instant createdFrom,
        Instant createdTo,
        Instant dueFrom,
        Instant dueTo,
        Long amountMinMinor,
        Long amountMaxMinor,
        String currency) {

    /** The statuses the list and the exports take: the stored ones and {@code overdue}, the computed view. */
    public static final Set<String> STATUSES = statuses();

    /** The conditions on {@code i} (the invoice), bound from this record as {@code f}. */
    public static final String WHERE = " AND (CAST(:f.customerId AS text) IS NULL OR i.customer_id = :f.customerId)"
            + " AND (CAST(:f.status AS text) IS NULL OR i.status = :f.status)"
            + " AND (NOT :f.overdue OR i.due_at < :f.now)"
            + " AND (CAST(:f.number AS text) IS NULL OR i.number = :f.number)"
            + " AND (CAST(:f.periodFrom AS timestamptz) IS NULL OR i.period_start >= :f.periodFrom)"
            + " AND (CAST(:f.periodTo AS timestamptz) IS NULL OR i.period_end <= :f.periodTo)"
            + " AND (CAST(:f.createdFrom AS timestamptz) IS NULL OR i.created_at >= :f.createdFrom)"
            + " AND (CAST(:f.createdTo AS timestamptz) IS NULL OR i.created_at < :f.createdTo)"
            + " AND (CAST(:f.dueFrom AS timestamptz) IS NULL OR i.due_at >= :f.dueFrom)"
            + " AND (CAST(:f.dueTo AS timestamptz) IS NULL OR i.due_at < :f.dueTo)"
            + " AND (CAST(:f.amountMinMinor AS bigint) IS NULL OR i.total_minor >= :f.amountMinMinor)"
            + " AND (CAST(:f.amountMaxMinor AS bigint) IS NULL OR i.total_minor <= :f.amountMaxMinor)"
            + " AND (CAST(:f.currency AS text) IS NULL OR i.currency = :f.currency)";

    /** The longest invoice number the filter takes (a prefix of 12, a year and a counter are far shorter). */
    public static final int MAX_NUMBER = 64;

    private static final DecimalText.Bounds AMOUNT = new DecimalText.Bounds(15, 4, true);

    /** No condition: every invoice. */
    public static InvoiceFilter none() {
        return new InvoiceFilter(null, null, false, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Set<String> statuses() {
        Set<String> names = new TreeSet<>(InvoiceStatus.NAMES);
        names.add("overdue");
        return Set.copyOf(names);
    }

    /**
     * The query parameters of the filter, as the caller gave them (null: absent): bound by every route that
     * filters invoices ({@code @RequestBean}), so the list and the exports read the same parameters.
     */
    @Introspected
    public record Params(
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String status,
            @QueryValue @Nullable String number,
            @QueryValue @Nullable String periodFrom,
            @QueryValue @Nullable String periodTo,
            @QueryValue @Nullable String createdFrom,
            @QueryValue @Nullable String createdTo,
            @QueryValue @Nullable String dueFrom,
            @QueryValue @Nullable String dueTo,
            @QueryValue @Nullable String amountMin,
            @QueryValue @Nullable String amountMax,
            @QueryValue @Nullable String currency) {

        /** Each parameter checked by its rule, a bad one a 400 naming it; the customer is still a reference. */
        public Request checked() {
            if (status != null && !STATUSES.contains(status)) {
                throw BillingException.invalid("status", "status must be one of " + new TreeSet<>(STATUSES));
            }
            String code = CustomerRules.currency("currency", currency);
            Request request = new Request(
                    customer == null ? null : Inputs.customer("customer", customer),
                    status,
                    number == null ? null : number(number),
                    Inputs.optionalInstant("periodFrom", periodFrom),
                    Inputs.optionalInstant("periodTo", periodTo),
                    Inputs.optionalInstant("createdFrom", createdFrom),
                    Inputs.optionalInstant("createdTo", createdTo),
                    Inputs.optionalInstant("dueFrom", dueFrom),
                    Inputs.optionalInstant("dueTo", dueTo),
                    amount("amountMin", amountMin, code),
                    amount("amountMax", amountMax, code),
                    code);
            ordered("periodTo", request.periodFrom(), request.periodTo(), false);
            ordered("createdTo", request.createdFrom(), request.createdTo(), true);
            ordered("dueTo", request.dueFrom(), request.dueTo(), true);
            if (request.amountMinMinor() != null
                    && request.amountMaxMinor() != null
                    && request.amountMaxMinor() < request.amountMinMinor()) {
                throw BillingException.invalid("amountMax", "amountMax must not be below amountMin");
            }
            return request;
        }

        private static String number(String value) {
            String text = Inputs.withoutControls("number", value);
            if (text.isBlank() || text.length() > MAX_NUMBER) {
                throw BillingException.invalid(
                        "number", "number must be an invoice number of 1 to " + MAX_NUMBER + " characters");
            }
            return text;
        }

        /** {@code value} in minor units of {@code currency}: at most the currency's decimals, never rounded. */
        private static Long amount(String field, String value, String currency) {
            if (value == null) {
                return null;
            }
            if (currency == null) {
                throw BillingException.invalid(
                        field, field + " is an amount in the invoice currency: give currency too (e.g. currency=USD)");
            }
            BigDecimal amount = Inputs.decimal(field, value, AMOUNT);
            int digits = Currencies.minorDigits(currency);
            if (amount.stripTrailingZeros().scale() > digits) {
                throw BillingException.invalid(field, field + " has more decimals than " + currency + "'s " + digits);
            }
            return Currencies.toMinor(amount, currency);
        }

        private static void ordered(String field, Instant from, Instant to, boolean strictly) {
            if (from != null && to != null && (strictly ? !to.isAfter(from) : to.isBefore(from))) {
                String start = field.replace("To", "From");
                throw BillingException.invalid(
                        field, field + " must be " + (strictly ? "after " : "at or after ") + start);
            }
        }
    }

    /** The checked parameters; {@link #in} resolves the customer. */
    public record Request(
            String customer,
            String status,
            String number,
            Instant periodFrom,
            Instant periodTo,
            Instant createdFrom,
            Instant createdTo,
            Instant dueFrom,
            Instant dueTo,
            Long amountMinMinor,
            Long amountMaxMinor,
            String currency) {

        /** The filter, its customer resolved to {@code customerId}; {@code overdue} is read at {@code now}. */
        public InvoiceFilter in(String customerId, Instant now) {
            boolean overdue = "overdue".equals(status);
            return new InvoiceFilter(
                    customerId,
                    overdue ? InvoiceStatus.FINALIZED.text() : status,
                    overdue,
                    now,
                    number,
                    periodFrom,
                    periodTo,
                    createdFrom,
                    createdTo,
                    dueFrom,
                    dueTo,
                    amountMinMinor,
                    amountMaxMinor,
                    currency);
        }
    }
}
