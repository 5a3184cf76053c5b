package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.schemas.rules.ControlCharacters;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a form-encoded body ({@code application/x-www-form-urlencoded}), as the
 * Stripe-compatible route reads them: strictly, since a lenient decoder changes what was sent
 * (bytes that are not UTF-8 became U+FFFD, the last of two equal fields won).
 */
public final class FormFields {

    private FormFields() {}

    /**
     * The form's fields, decoded ({@code application/x-www-form-urlencoded}, UTF-8).
     *
     * @throws IngestException {@code invalid_type} for a body that is not a form (a broken percent
     *     escape, bytes that are not UTF-8), {@code duplicate_field} naming a field sent twice (which
     *     value was meant cannot be known, so neither is taken)
     */
    public static Map<String, String> of(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                int equals = indexOf(body, (byte) '=', start, end);
                String name = decode(body, start, equals);
                String value = equals == end ? "" : decode(body, equals + 1, end);
                if (fields.putIfAbsent(name, value) != null) {
                    boolean printable = !ControlCharacters.holdsAny(name);
                    throw new IngestException(
                            ErrorCode.DUPLICATE_FIELD,
                            printable ? name + " is sent twice" : "a field is sent twice",
                            printable ? name : null);
                }
            }
            start = end + 1;
        }
        return fields;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return to;
    }

    /**
     * Percent-decodes {@code body[start, end)} to bytes and reads them as strict UTF-8. Not
     * {@link java.net.URLDecoder}: it turns bytes that are not UTF-8 into U+FFFD without a word, and
     * its message quotes the client's text.
     */
    private static String decode(byte[] body, int start, int end) {
        byte[] decoded = new byte[end - start];
        int length = 0;
        for (int i = start; i < end; i++) {
            byte b = body[i];
            if (b == '%') {
                int high = i + 2 < end ? hex(body[i + 1]) : -1;
                int low = high >= 0 ? hex(body[i + 2]) : -1;
                if (low < 0) {
                    throw notAForm("a % is not followed by two hex digits");
                }
                decoded[length++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                decoded[length++] = b == '+' ? (byte) ' ' : b;
            }
        }
        if (Utf8.firstMalformed(decoded, 0, length, true) >= 0) {
            throw notAForm("a field is not UTF-8");
        }
        return new String(decoded, 0, length, StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }

    private static IngestException notAForm(String why) {
        return new IngestException(ErrorCode.INVALID_TYPE, "the body is not a valid form: " + why);
    }
}
