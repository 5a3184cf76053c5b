package dev.tally.ingest.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (Unicode's table 3-7), and for JSON no NUL byte: Jackson decodes overlong forms, so {@code C1 A1}
 * was read as {@code a} and an event whose bytes are not UTF-8 was accepted under an id it never
 * spelled. Bodies are checked here before they are parsed; ASCII, the usual body, costs two
 * comparisons every eight bytes.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {}

    /** No byte of {@code word} has its high bit set and, unless {@code nulAllowed}, none is zero. */
    private static boolean isPlainAscii(long word, boolean nulAllowed) {
        boolean ascii = (word & HIGH_BITS) == 0;
        // the classic "has a zero byte" test; exact once no high bit is set
        return ascii && (nulAllowed || ((word - LOW_BITS) & ~word & HIGH_BITS) == 0);
    }

    /**
     * The offset of the first byte that does not belong to well-formed UTF-8 (or is NUL, unless
     * {@code nulAllowed}), or -1 when all do.
     */
    static int firstMalformed(byte[] bytes, int offset, int length, boolean nulAllowed) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            // eight ASCII bytes without NUL at a time: a batch body is checked in a tenth of its parse time
            while (i + Long.BYTES <= end && isPlainAscii((long) LONGS.get(bytes, i), nulAllowed)) {
                i += Long.BYTES;
            }
            if (i >= end) {
                break;
            }
            int b = bytes[i] & 0xFF;
            if (b == 0 && !nulAllowed) {
                // never in UTF-8 JSON (not even inside a string), but in every UTF-16 or UTF-32 body,
                // which the parser would otherwise detect and read
                return i;
            }
            if (b < 0x80) {
                i++;
                continue;
            }
            int sequence = sequenceLength(bytes, i, end, b);
            if (sequence < 0) {
                return i;
            }
            i += sequence;
        }
        return -1;
    }

    /** The length of the multi-byte sequence starting with {@code lead} at {@code i}, or -1 if malformed. */
    private static int sequenceLength(byte[] bytes, int i, int end, int lead) {
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            min = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms
            max = lead == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            min = lead == 0xF0 ? 0x90 : 0x80; // no overlong forms
            max = lead == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
        } else {
            return -1; // a continuation byte, an overlong lead (C0, C1) or F5..FF
        }
        if (i + length > end) {
            return -1;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k < length; k++) {
            int next = bytes[i + k] & 0xFF;
            if (next < 0x80 || next > 0xBF) {
                return -1;
            }
        }
        return length;
    }
}
