package dev.tally.billing.export;

import dev.tally.billing.InstantText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * CSV text written straight into UTF-8 bytes, in a buffer the body reads from and then reuses: no
 * intermediate {@code String} per chunk and no second copy to encode it. A field holding a comma, a double
 * quote, CR or LF is enclosed in double quotes with its double quotes doubled (RFC 4180). Instants and
 * decimals, which never need quotes, are written digit by digit, with the same characters as
 * {@link Instant#toString()} and {@link BigDecimal#toPlainString()}, without a string in between.
 */
public final class CsvBuffer {

    private byte[] bytes;
    private int length;
    /** The chars of the field being written. */
    private char[] scratch = new char[256];

    CsvBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /** The bytes written so far: {@code [0, length())} of {@link #bytes()}. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Forgets what was written, keeping the storage. */
    void clear() {
        length = 0;
    }

    /** The text written so far, decoded (for tests). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    void separator() {
        ascii((byte) ',');
    }

    void endOfRecord() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    /**
     * {@code value} as one field, quoted only when RFC 4180 requires it. One pass: the characters are
     * copied to a scratch array (a fast bulk copy) and written as scanned; at the first one that needs
     * quotes, what was written moves right by one for the opening quote, and the rest is written quoted.
     */
    void field(String value) {
        int n = value.length();
        if (scratch.length < n) {
            scratch = new char[Math.max(n, 2 * scratch.length)];
        }
        value.getChars(0, n, scratch, 0);
        ensure(n);
        int start = length;
        for (int i = 0; i < n; i++) {
            char c = scratch[i];
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                ensure(1);
                System.arraycopy(bytes, start, bytes, start + 1, length - start);
                bytes[start] = '"';
                length++;
                quoted(n, i);
                return;
            }
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                i = encode(n, i);
            }
        }
    }

    /** Writes {@code scratch[from, n)} inside the quotes already opened, doubling quotes, and closes them. */
    private void quoted(int n, int from) {
        ensure(2 * (n - from) + 1);
        for (int i = from; i < n; i++) {
            char c = scratch[i];
            if (c == '"') {
                bytes[length++] = '"';
            }
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                i = encode(n, i);
            }
        }
        bytes[length++] = '"';
    }

    /** {@code instant} as {@link Instant#toString()} writes it. */
    void instant(Instant instant) {
        ensure(InstantText.MAX_LENGTH);
        int end = InstantText.write(instant, bytes, length);
        if (end < 0) {
            field(instant.toString());
        } else {
            length = end;
        }
    }

    /** {@code value} as {@link BigDecimal#toPlainString()} writes it. */
    void decimal(BigDecimal value) {
        if (value.scale() >= 0 && value.precision() <= 18) {
            decimal(value.unscaledValue().longValue(), value.scale());
        } else {
            field(value.toPlainString());
        }
    }

    /** {@code unscaled} × 10^-{@code scale} ({@code scale} ≥ 0) as {@link BigDecimal#toPlainString()} writes it. */
    void decimal(long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE || scale > 18) {
            field(BigDecimal.valueOf(unscaled, scale).toPlainString());
            return;
        }
        ensure(scale + 22);
        if (unscaled < 0) {
            bytes[length++] = '-';
            unscaled = -unscaled;
        }
        int digits = digitCount(unscaled);
        if (digits <= scale) {
            // below one: 0.00ddd
            bytes[length++] = '0';
            bytes[length++] = '.';
            for (int i = digits; i < scale; i++) {
                bytes[length++] = '0';
            }
            writeDigits(unscaled, digits);
            return;
        }
        int end = length + digits + (scale > 0 ? 1 : 0);
        int at = end;
        for (int i = 0; i < scale; i++) {
            bytes[--at] = (byte) ('0' + unscaled % 10);
            unscaled /= 10;
        }
        if (scale > 0) {
            bytes[--at] = '.';
        }
        while (at > length) {
            bytes[--at] = (byte) ('0' + unscaled % 10);
            unscaled /= 10;
        }
        length = end;
    }

    private void writeDigits(long value, int digits) {
        int end = length + digits;
        for (int at = end - 1; at >= length; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length = end;
    }

    private static int digitCount(long value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /**
     * Writes the non-ASCII character at {@code i} (with its low surrogate, if it is a pair) in UTF-8; the
     * index of its last char. A lone surrogate is written as {@code ?}, as {@code String.getBytes} does.
     */
    private int encode(int n, int i) {
        ensure(4);
        char c = scratch[i];
        if (c < 0x800) {
            bytes[length++] = (byte) (0xc0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3f);
            return i;
        }
        if (!Character.isSurrogate(c)) {
            bytes[length++] = (byte) (0xe0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
            bytes[length++] = (byte) (0x80 | c & 0x3f);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(scratch[i + 1])) {
            int code = Character.toCodePoint(c, scratch[i + 1]);
            bytes[length++] = (byte) (0xf0 | code >> 18);
            bytes[length++] = (byte) (0x80 | code >> 12 & 0x3f);
            bytes[length++] = (byte) (0x80 | code >> 6 & 0x3f);
            bytes[length++] = (byte) (0x80 | code & 0x3f);
            return i + 1;
        }
        bytes[length++] = '?';
        return i;
    }

    private void ascii(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    /** Room for {@code more} chars of up to 4 bytes each beyond what is written. */
    private void ensure(int more) {
        long needed = length + 4L * more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
        }
    }
}
