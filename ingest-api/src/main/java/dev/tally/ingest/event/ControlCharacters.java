package dev.tally.ingest.event;

/**
 * Control characters (U+0000–U+001F, U+007F–U+009F) in free-text fields such as property names and
 * values: refused, because a NUL or an escape sequence travels on into logs, CSV exports and
 * invoices downstream, where it truncates or rewrites what people read. Identifiers never allow them
 * (their character sets are ASCII letters, digits and punctuation).
 */
final class ControlCharacters {

    private ControlCharacters() {}

    static boolean holdsAny(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
