package dev.tally.billing.invoice;

import dev.tally.billing.BillingException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How many days after finalization an invoice falls due: an organization's terms ({@link #DEFAULT} net 30,
 * the most common B2B terms, and Stripe's default for sent invoices), or a customer's own. The API names
 * them {@code net_0} … {@code net_90}; the database stores the days (V26 checks they are one of these).
 */
public enum PaymentTerms {
    NET_0(0),
    NET_15(15),
    NET_30(30),
    NET_45(45),
    NET_60(60),
    NET_90(90);

    /** The terms of an organization that sets none. */
    public static final PaymentTerms DEFAULT = NET_30;

    private static final String NAMES =
            Arrays.stream(values()).map(PaymentTerms::text).collect(Collectors.joining(", "));

    private final int days;

    PaymentTerms(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    /** The name the API shows: {@code net_30}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The terms named {@code value} in request field {@code field} (any case), else a 400 naming it. */
    public static PaymentTerms parse(String field, String value) {
        if (value != null) {
            for (PaymentTerms terms : values()) {
                if (terms.text().equalsIgnoreCase(value.strip())) {
                    return terms;
                }
            }
        }
        throw BillingException.invalid(field, field + " must be one of " + NAMES);
    }

    /** The terms of {@code days} as stored; null for null (a customer on its organization's terms). */
    public static PaymentTerms ofDays(Integer days) {
        if (days == null) {
            return null;
        }
        return Arrays.stream(values())
                .filter(terms -> terms.days == days)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no payment terms of " + days + " days"));
    }

    /** The name of {@code terms}, null for null. */
    public static String textOf(PaymentTerms terms) {
        return terms == null ? null : terms.text();
    }
}
