package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The entry part of {@link WindowEntries} keys, laid out so that byte order is the aggregation's
 * order: MIN and MAX values as 16-byte two's complement of their unscaled value at scale 9 with
 * the sign bit flipped (numeric order); LATEST events as their time (8 bytes, sign flipped) then
 * their id (time order, ties by id); UNIQUE_COUNT values as their UTF-8 bytes.
 */
final class EntryKey {

    private static final int DECIMAL_BYTES = 16;

    private EntryKey() {}

    static byte[] decimal(BigDecimal value) {
        byte[] unscaled =
                value.setScale(Decimals.QUANTITY_SCALE).unscaledValue().toByteArray();
        if (unscaled.length > DECIMAL_BYTES) {
            // events are checked against Decimals.QUANTITY_BOUNDS (below 10^15) before they get here
            throw new IllegalArgumentException("a value beyond the quantity bounds: " + value.toPlainString());
        }
        byte[] key = new byte[DECIMAL_BYTES];
        Arrays.fill(key, 0, DECIMAL_BYTES - unscaled.length, value.signum() < 0 ? (byte) 0xFF : 0);
        System.arraycopy(unscaled, 0, key, DECIMAL_BYTES - unscaled.length, unscaled.length);
        key[0] ^= (byte) 0x80;
        return key;
    }

    static BigDecimal decimal(byte[] key) {
        byte[] unscaled = key.clone();
        unscaled[0] ^= (byte) 0x80;
        return new BigDecimal(new BigInteger(unscaled), Decimals.QUANTITY_SCALE);
    }

    static byte[] latest(long occurredAt, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + id.length)
                .putLong(occurredAt ^ Long.MIN_VALUE)
                .put(id)
                .array();
    }

    static long latestOccurredAt(byte[] key) {
        return ByteBuffer.wrap(key).getLong() ^ Long.MIN_VALUE;
    }

    static String latestEventId(byte[] key) {
        return new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8);
    }

    static byte[] distinct(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String distinct(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
