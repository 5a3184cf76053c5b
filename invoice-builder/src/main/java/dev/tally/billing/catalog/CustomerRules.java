package dev.tally.billing.catalog;

import dev.tally.billing.BillingException;
import dev.tally.schemas.rules.Currencies;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The rules of a customer's fields, each failing with a 400 that names the field. Pure: no I/O.
 *
 * <ul>
 *   <li>{@code email}: at most 254 characters, ASCII, one {@code @}; a local part of at most 64
 *       letters, digits and {@code !#$%&'*+/=?^_`{|}~.-} (no leading, trailing or double dot); a
 *       domain of at least two dot-separated labels of letters, digits and inner hyphens (at most
 *       63 each), the last not all digits. The domain is lower-cased, the local part kept.
 *   <li>{@code phone}: E.164, {@code +} then 7 to 15 digits, the first not 0 (no spaces or
 *       punctuation: one spelling per number).
 *   <li>{@code currency}: an ISO 4217 code with a minor unit (any case, answered upper-case).
 *   <li>metadata: a flat object of at most 50 keys of 1 to 40 characters, values strings of at
 *       most 500 (as Stripe's metadata).
 * </ul>
 */
public final class CustomerRules {

    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_EMAIL_LOCAL_PART = 64;
    static final int MAX_DOMAIN_LABEL = 63;
    static final int MAX_METADATA_KEYS = 50;
    static final int MAX_METADATA_KEY = 40;
    static final int MAX_METADATA_VALUE = 500;

    private static final String EMAIL_LOCAL_PUNCTUATION = "!#$%&'*+/=?^_`{|}~.-";

    private CustomerRules() {}

    /** A name, stripped, at most 200 characters; blank or null is no name. */
    static String name(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_NAME) {
            throw BillingException.invalid(field, field + " is longer than " + MAX_NAME + " characters");
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** An e-mail address with its domain lower-cased, or null. */
    static String email(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_EMAIL) {
            throw BillingException.invalid(field, field + " is longer than " + MAX_EMAIL + " characters");
        }
        int at = value.indexOf('@');
        if (at < 0 || at != value.lastIndexOf('@')) {
            throw invalidEmail(field, "one @");
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (!isLocalPart(local)) {
            throw invalidEmail(field, "a local part of 1 to 64 letters, digits and " + EMAIL_LOCAL_PUNCTUATION);
        }
        if (!isDomain(domain)) {
            throw invalidEmail(field, "a domain such as example.com");
        }
        return local + "@" + domain.toLowerCase(Locale.ROOT);
    }

    private static BillingException invalidEmail(String field, String what) {
        return BillingException.invalid(field, field + " must be an address like ada@example.com, with " + what);
    }

    private static boolean isLocalPart(String local) {
        if (local.isEmpty()
                || local.length() > MAX_EMAIL_LOCAL_PART
                || local.startsWith(".")
                || local.endsWith(".")
                || local.contains("..")) {
            return false;
        }
        return local.chars().allMatch(c -> isAsciiAlphanumeric(c) || EMAIL_LOCAL_PUNCTUATION.indexOf(c) >= 0);
    }

    private static boolean isDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty()
                    || label.length() > MAX_DOMAIN_LABEL
                    || label.startsWith("-")
                    || label.endsWith("-")
                    || !label.chars().allMatch(c -> isAsciiAlphanumeric(c) || c == '-')) {
                return false;
            }
        }
        // 192.168.0.1 is not a domain
        return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** An E.164 phone number, or null. */
    static String phone(String field, String value) {
        if (value == null) {
            return null;
        }
        boolean e164 = value.length() >= 8
                && value.length() <= 16
                && value.charAt(0) == '+'
                && value.charAt(1) != '0'
                && value.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
        if (!e164) {
            throw BillingException.invalid(
                    field, field + " must be an E.164 number: + and 7 to 15 digits, like +14155550123");
        }
        return value;
    }

    /** An ISO 4217 currency code in use (the shared rule, {@link Currencies}), upper-cased, or null. */
    public static String currency(String field, String value) {
        if (value == null) {
            return null;
        }
        // no trimming: " USD" is refused, as every other member with stray spaces
        String code = value.toUpperCase(Locale.ROOT);
        if (!Currencies.isKnown(code)) {
            throw BillingException.invalid(field, field + " must be an ISO 4217 currency code in use, like USD");
        }
        return code;
    }

    /** A metadata object within its bounds, sorted by key; null is the empty object. */
    static SortedMap<String, String> metadata(String field, Map<String, String> value) {
        if (value == null) {
            return Metadata.sorted(Map.of());
        }
        if (value.size() > MAX_METADATA_KEYS) {
            throw BillingException.invalid(field, field + " holds more than " + MAX_METADATA_KEYS + " keys");
        }
        for (Map.Entry<String, String> entry : value.entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_METADATA_KEY) {
                throw BillingException.invalid(
                        field, field + " keys must be 1 to " + MAX_METADATA_KEY + " characters long");
            }
            if (entry.getValue().length() > MAX_METADATA_VALUE) {
                throw BillingException.invalid(
                        field, field + " values must be at most " + MAX_METADATA_VALUE + " characters long");
            }
        }
        return Metadata.sorted(value);
    }

    private static boolean isAsciiAlphanumeric(int c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
