package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The one place metering's state is laid out in bytes: window states (open, closed with their
 * revision, live), the dedup store's records and the rejected events. Compact: variable-length integers, decimals as
 * their unscaled value at the fixed scale 9, strings as length-prefixed UTF-8.
 *
 * <pre>
 * window state   aggregation(1) property(str|absent) eventCount(var) then
 *                SUM: sum(dec) · MIN/MAX: n(var) [value(dec) occurrences(var)]…
 *                LATEST: n(var) [occurredAt(8) eventId(str) value(dec)]… · UNIQUE_COUNT: n(var) [value(str) occurrences(var)]…
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
                out.varLong(state.values().size());
                for (Map.Entry<BigDecimal, Long> entry : state.values().entrySet()) {
                    out.decimal(entry.getKey());
                    out.varLong(entry.getValue());
                }
            }
            case LATEST -> {
                out.varLong(state.latest().size());
                for (Map.Entry<WindowState.LatestKey, BigDecimal> entry :
                        state.latest().entrySet()) {
                    out.fixedLong(entry.getKey().occurredAt());
                    out.string(entry.getKey().eventId());
                    out.decimal(entry.getValue());
                }
            }
            case UNIQUE_COUNT -> {
                out.varLong(state.distinct().size());
                for (Map.Entry<String, Long> entry : state.distinct().entrySet()) {
                    out.string(entry.getKey());
                    out.varLong(entry.getValue());
                }
            }
        }
    }

    private static WindowState readState(Reader in) {
        Aggregation aggregation = AGGREGATIONS[in.raw()];
        String property = in.varLong() == 0 ? null : in.string();
        WindowState state = new WindowState(new Definition(aggregation, property));
        long count = in.varLong();
        BigDecimal sum = aggregation == Aggregation.SUM ? in.decimal() : Decimals.quantity(BigDecimal.ZERO);
        state.restore(count, sum);
        switch (aggregation) {
            case MIN, MAX -> {
                long entries = in.varLong();
                for (long i = 0; i < entries; i++) {
                    state.values().put(in.decimal(), in.varLong());
                }
            }
            case LATEST -> {
                long entries = in.varLong();
                for (long i = 0; i < entries; i++) {
                    WindowState.LatestKey key = new WindowState.LatestKey(in.fixedLong(), in.string());
                    state.latest().put(key, in.decimal());
                }
            }
            case UNIQUE_COUNT -> {
                long entries = in.varLong();
                for (long i = 0; i < entries; i++) {
                    state.distinct().put(in.string(), in.varLong());
                }
            }
            case SUM, COUNT -> {
                // nothing more
            }
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

        private void bytes(byte[] value) {
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

        BigDecimal decimal() {
            int length = (int) varLong();
            BigInteger unscaled = new BigInteger(buffer, position, length);
            position += length;
            return new BigDecimal(unscaled, Decimals.QUANTITY_SCALE);
        }
    }
}
