package dev.tally.schemas.rules;

/**
 * The one rule for control characters (U+0000–U+001F, U+007F–U+009F: NUL, tab, line breaks, escape,
 * DEL and the C1 set) in text that comes from outside: every service refuses them, in bodies,
 * paths and query parameters. A NUL fails PostgreSQL statements, and escapes travel on into logs,
 * CSV exports and invoices, where they truncate or rewrite what people read. Identifiers never
 * allow them anyway (their character sets are ASCII letters, digits and punctuation).
 */
public final class ControlCharacters {

    private ControlCharacters() {}

    /** Whether {@code text} holds any control character. */
    public static boolean holdsAny(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
