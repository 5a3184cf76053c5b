package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one place metering's state is laid out in bytes: window headers (open, closed with their
 * revision, live), the dedup store's records and the rejected events. Compact: variable-length integers, decimals as
 * their unscaled value at the fixed scale 9, strings as length-prefixed UTF-8.
 *
 * <pre>
 * window header  format(1) aggregation(1) property(str|absent) eventCount(var) then
 *                SUM: sum(dec) · MIN/MAX: entries(var) [extreme(dec) if entries > 0]
 *                LATEST: entries(var) [latest entry key(bytes) value(dec) if entries > 0] · UNIQUE_COUNT: entries(var)
 *                (the entries themselves are in {@link WindowEntries})
 * closed window  revision(var) window state
 * seen event     flags(1) then, unless a retraction: aggregation(1) occurredAt(8) customer(str) feature(str) [value(dec)|distinct(str)]
 * rejected event eventId(str) customer(str) feature(str) reason(str) message(str), a missing identifier as ""
 *                (the time is the window store's)
 * </pre>
 */
final class StateCodec {

    private static final int RETRACTION = 1;
    private static final int RETRACTED = 2;
    private static final int HAS_VALUE = 4;
    private static final int HAS_DISTINCT = 8;
    private static final Aggregation[] AGGREGATIONS = Aggregation.values();
    /** The first byte of a window header; whole-window states began with an aggregation (0-5). */
    private static final int HEADER_FORMAT = 0x40;

    private StateCodec() {}

    static byte[] encode(WindowState state) {
        Writer out = new Writer();
        writeState(out, state);
        return out.bytes();
    }

    static WindowState decodeState(byte[] bytes) {
        return readState(new Reader(bytes));
    }

    /** A closed window's revision and state. */
    record Revised(long revision, WindowState state) {}

    static byte[] encode(long revision, WindowState state) {
        Writer out = new Writer();
        out.varLong(revision);
        writeState(out, state);
        return out.bytes();
    }

    static Revised decodeRevised(byte[] bytes) {
        Reader in = new Reader(bytes);
        long revision = in.varLong();
        return new Revised(revision, readState(in));
    }

    static byte[] encode(SeenEvent seen) {
        Writer out = new Writer();
        int flags = (seen.retraction() ? RETRACTION : 0)
                | (seen.retracted() ? RETRACTED : 0)
                | (seen.value() != null ? HAS_VALUE : 0)
                | (seen.distinct() != null ? HAS_DISTINCT : 0);
        out.raw(flags);
        if (seen.retraction()) {
            return out.bytes();
        }
        out.raw(seen.aggregation().ordinal());
        out.fixedLong(seen.occurredAt());
        out.string(seen.customerId());
        out.string(seen.feature());
        if (seen.value() != null) {
            out.decimal(seen.value());
        }
        if (seen.distinct() != null) {
            out.string(seen.distinct());
        }
        return out.bytes();
    }

    static SeenEvent decodeSeen(byte[] bytes) {
        Reader in = new Reader(bytes);
        int flags = in.raw();
        if ((flags & RETRACTION) != 0) {
            return SeenEvent.RETRACTION;
        }
        Aggregation aggregation = AGGREGATIONS[in.raw()];
        long occurredAt = in.fixedLong();
        String customer = in.string();
        String feature = in.string();
        BigDecimal value = (flags & HAS_VALUE) != 0 ? in.decimal() : null;
        String distinct = (flags & HAS_DISTINCT) != 0 ? in.string() : null;
        return new SeenEvent(
                false, (flags & RETRACTED) != 0, customer, feature, occurredAt, aggregation, value, distinct);
    }

    static byte[] encode(RejectedEvent rejected) {
        Writer out = new Writer();
        out.string(orEmpty(rejected.eventId()));
        out.string(orEmpty(rejected.customerId()));
        out.string(orEmpty(rejected.feature()));
        out.string(rejected.reason());
        out.string(rejected.message());
        return out.bytes();
    }

    static RejectedEvent decodeRejected(byte[] bytes, long rejectedAt) {
        Reader in = new Reader(bytes);
        String eventId = emptyToNull(in.string());
        String customer = emptyToNull(in.string());
        String feature = emptyToNull(in.string());
        return new RejectedEvent(eventId, customer, feature, in.string(), in.string(), rejectedAt);
    }

    // identifiers are never empty (blank ones are rejected as missing), so "" can mean absent
    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static void writeState(Writer out, WindowState state) {
        out.raw(HEADER_FORMAT);
        out.raw(state.aggregation().ordinal());
        String property = state.definition().valueProperty();
        if (property == null) {
            out.varLong(0);
        } else {
            out.varLong(1);
            out.string(property);
        }
        out.varLong(state.eventCount());
        switch (state.aggregation()) {
            case SUM -> out.decimal(state.sum());
            case COUNT -> {
                // the count above is the whole state
            }
            case MIN, MAX -> {
                out.varLong(state.entryCount());
                if (state.extreme() != null) {
                    out.decimal(state.extreme());
                }
            }
            case LATEST -> {
                out.varLong(state.entryCount());
                if (state.latestKey() != null) {
                    out.bytes(state.latestKey());
                    out.decimal(state.latestValue());
                }
            }
            case UNIQUE_COUNT -> out.varLong(state.entryCount());
        }
    }

    private static WindowState readState(Reader in) {
        int format = in.raw();
        if (format != HEADER_FORMAT) {
            // whole-window states (format 0-5: they began with the aggregation) predate the entries
            // store; this version cannot read them
            throw new IllegalStateException("window state of format " + format + ", this version reads " + HEADER_FORMAT
                    + ": reset the metering application's state to upgrade");
        }
        Aggregation aggregation = AGGREGATIONS[in.raw()];
        String property = in.varLong() == 0 ? null : in.string();
        WindowState state = new WindowState(new Definition(aggregation, property));
        long count = in.varLong();
        BigDecimal sum = aggregation == Aggregation.SUM ? in.decimal() : Decimals.quantity(BigDecimal.ZERO);
        long entries = aggregation == Aggregation.SUM || aggregation == Aggregation.COUNT ? 0 : in.varLong();
        BigDecimal extreme =
                (aggregation == Aggregation.MIN || aggregation == Aggregation.MAX) && entries > 0 ? in.decimal() : null;
        state.restore(count, sum, entries, extreme);
        if (aggregation == Aggregation.LATEST && entries > 0) {
            state.restoreLatest(in.bytes(), in.decimal());
        }
        return state;
    }

    /** A growing byte buffer. */
    private static final class Writer {
        private byte[] buffer = new byte[64];
        private int size;

        void raw(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        void varLong(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                raw((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            raw((int) v);
        }

        void fixedLong(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                raw((int) (value >>> shift));
            }
        }

        void string(String value) {
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        void decimal(BigDecimal value) {
            bytes(value.unscaledValue().toByteArray());
        }

        void bytes(byte[] value) {
            varLong(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, buffer, size, value.length);
            size += value.length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, size);
        }
    }

    /** Reads what {@link Writer} wrote. */
    private static final class Reader {
        private final byte[] buffer;
        private int position;

        Reader(byte[] buffer) {
            this.buffer = buffer;
        }

        int raw() {
            return buffer[position++] & 0xFF;
        }

        long varLong() {
            long value = 0;
            int shift = 0;
            int b;
            do {
                b = raw();
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return value;
        }

        long fixedLong() {
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | raw();
            }
            return value;
        }

        String string() {
            int length = (int) varLong();
            String value = new String(buffer, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        byte[] bytes() {
            int length = (int) varLong();
            byte[] value = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return value;
        }

        BigDecimal decimal() {
            int length = (int) varLong();
            BigInteger unscaled = new BigInteger(buffer, position, length);
            position += length;
            return new BigDecimal(unscaled, Decimals.QUANTITY_SCALE);
        }
    }
}
