package dev.tally.schemas.rules;

/**
 * The one rule for the size of a page of a list ({@code limit} on every list endpoint of every
 * service): a whole number of ASCII digits from 1 to {@value #MAX}, {@value #DEFAULT} when absent.
 * No list answers more, so no read grows with the data (a customer's ledger once answered 365 MB).
 */
public final class PageSize {

    /** The size of a page when the request names none. */
    public static final int DEFAULT = 100;

    /** The largest page. */
    public static final int MAX = 1000;

    /** What a valid {@code limit} is, for error messages. */
    public static final String DESCRIPTION = "limit must be a whole number from 1 to " + MAX;

    private PageSize() {}

    /**
     * The page size {@code text} asks for ({@value #DEFAULT} when null).
     *
     * @throws IllegalArgumentException with {@link #DESCRIPTION} when it is not one
     */
    public static int of(String text) {
        if (text == null) {
            return DEFAULT;
        }
        // ASCII only: Integer.parseInt would read Arabic-Indic and other Unicode digits
        if (text.isEmpty() || text.length() > String.valueOf(MAX).length()) {
            throw new IllegalArgumentException(DESCRIPTION);
        }
        int size = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(DESCRIPTION);
            }
            size = size * 10 + (c - '0');
        }
        if (size < 1 || size > MAX) {
            throw new IllegalArgumentException(DESCRIPTION);
        }
        return size;
    }
}
