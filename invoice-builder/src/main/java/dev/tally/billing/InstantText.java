package dev.tally.billing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An instant as {@link Instant#toString()} writes it (ISO-8601 in UTC: {@code 2026-12-01T00:00:00Z}, the
 * fraction in groups of three digits, only as long as it needs), written without {@code DateTimeFormatter}.
 * The CSV exports write several instants per record and the formatter's general machinery cost about a
 * fifth of an export's time; this writes the same characters with arithmetic. Years outside 0000 to 9999
 * (which ISO-8601 writes with a sign) are left to {@link Instant#toString()}.
 */
public final class InstantText {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
    private static final long FIRST = -62_167_219_200L;

    private static final long END = 253_402_300_800L;

    /** The longest text written: {@code 9999-12-31T23:59:59.999999999Z}. */
    public static final int MAX_LENGTH = 30;

    private InstantText() {}

    /** {@code instant.toString()}, or null for null. */
    public static String of(Instant instant) {
        if (instant == null) {
            return null;
        }
        byte[] text = new byte[MAX_LENGTH];
        int length = write(instant, text, 0);
        return length < 0 ? instant.toString() : new String(text, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code instant.toString()} in ASCII into {@code out} at {@code at} (room for {@link #MAX_LENGTH}
     * bytes); the index after it, or -1, having written nothing, for a year outside 0000 to 9999.
     */
    public static int write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST || seconds >= END) {
            return -1;
        }
        int nanos = instant.getNano();
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // days to a civil date in the proleptic Gregorian calendar (eras of 400 years from 0000-03-01)
        long shifted = day + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);

        at = digits(year, 4, out, at);
        out[at++] = '-';
        at = digits(month, 2, out, at);
        out[at++] = '-';
        at = digits(dayOfMonth, 2, out, at);
        out[at++] = 'T';
        at = digits(secondOfDay / 3600, 2, out, at);
        out[at++] = ':';
        at = digits(secondOfDay / 60 % 60, 2, out, at);
        out[at++] = ':';
        at = digits(secondOfDay % 60, 2, out, at);
        if (nanos != 0) {
            out[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                at = digits(nanos / 1_000_000, 3, out, at);
            } else if (nanos % 1000 == 0) {
                at = digits(nanos / 1000, 6, out, at);
            } else {
                at = digits(nanos, 9, out, at);
            }
        }
        out[at++] = 'Z';
        return at;
    }

    /** Writes {@code value} in {@code width} decimal digits, zero-padded, at {@code at}; the index after them. */
    private static int digits(int value, int width, byte[] out, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
