package dev.tally.schemas.rules;

/**
 * The one rule for the identifiers that several modules handle: customer ids and feature keys.
 * Ingest, metering and billing all check them here, so that an id ingest accepts is one billing
 * accepts (a copy per module once let usage in that could never be billed).
 *
 * <p>Both end up inside record keys joined by {@code '|'} and in URL paths and query strings, so
 * neither may hold the separator, {@code /}, {@code #}, {@code ?}, {@code %}, spaces or control
 * characters, and both start with a letter or digit. Customers allow what e-mail addresses and Stripe-style ids need
 * ({@code user+tag@example.com}, {@code cus_X1}); features are plain keys ({@code ai_call},
 * {@code storage.gb}).
 */
public final class Identifiers {

    /** The longest customer id or feature key. */
    public static final int MAX_LENGTH = 128;

    /** The punctuation a customer id may hold besides letters and digits. */
    public static final String CUSTOMER_PUNCTUATION = "._:@+=~-";

    /** The punctuation a feature key may hold besides letters and digits. */
    public static final String FEATURE_PUNCTUATION = "._:-";

    /**
     * The punctuation an event id (the idempotency key of ingest and metering) may hold besides
     * letters and digits: wider than a customer's, for URIs and CloudEvents ids, since event ids
     * never travel in billing's paths; still never the separator.
     */
    public static final String EVENT_ID_PUNCTUATION = "._:@/+=~#-";

    private static final boolean[] CUSTOMER_CHARS = allowed(CUSTOMER_PUNCTUATION);
    private static final boolean[] FEATURE_CHARS = allowed(FEATURE_PUNCTUATION);
    private static final boolean[] EVENT_ID_CHARS = allowed(EVENT_ID_PUNCTUATION);

    private Identifiers() {}

    /** Null when {@code value} is a valid customer id, else why not (a sentence naming {@code field}). */
    public static String customerProblem(String field, String value) {
        return problem(field, value, MAX_LENGTH, CUSTOMER_CHARS, CUSTOMER_PUNCTUATION, true);
    }

    /** Null when {@code value} is a valid feature key, else why not (a sentence naming {@code field}). */
    public static String featureProblem(String field, String value) {
        return problem(field, value, MAX_LENGTH, FEATURE_CHARS, FEATURE_PUNCTUATION, true);
    }

    /**
     * Null when {@code value} is a valid event id of at most {@code maxLength} characters, else why
     * not (a sentence naming {@code field}).
     */
    public static String eventIdProblem(String field, String value, int maxLength) {
        return problem(field, value, maxLength, EVENT_ID_CHARS, EVENT_ID_PUNCTUATION, false);
    }

    /** Whether {@code value} is a valid customer id. */
    public static boolean isCustomer(String value) {
        return value != null && customerProblem("customer", value) == null;
    }

    /** Whether {@code value} is a valid feature key. */
    public static boolean isFeature(String value) {
        return value != null && featureProblem("feature", value) == null;
    }

    // hand-written rather than a regex: ingest runs it for every event
    private static String problem(
            String field, String value, int maxLength, boolean[] chars, String punctuation, boolean alphanumericFirst) {
        int length = value.length();
        if (length == 0 || length > maxLength) {
            return field + " must be 1 to " + maxLength + " characters long";
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 128 || !chars[c]) {
                return field + " may contain only ASCII letters, digits and " + punctuation;
            }
        }
        if (alphanumericFirst && !isLetterOrDigit(value.charAt(0))) {
            // so that no id reads as a path step (".", "..") or an option ("-x") anywhere it travels
            return field + " must start with an ASCII letter or digit";
        }
        return null;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean[] allowed(String punctuation) {
        boolean[] table = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[Character.toUpperCase(c)] = true;
        }
        for (char c : punctuation.toCharArray()) {
            table[c] = true;
        }
        return table;
    }
}
