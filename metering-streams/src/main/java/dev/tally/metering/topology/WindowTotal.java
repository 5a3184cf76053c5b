package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The running total of one open window: its bounds, the exact sum of quantities (scale 9) and the
 * number of events. Stored as compact bytes: start, end, count, then the unscaled sum.
 */
record WindowTotal(Window window, BigDecimal quantity, long eventCount) {

    private static final int FIXED = 3 * Long.BYTES;

    static WindowTotal first(Window window, BigDecimal quantity) {
        return new WindowTotal(window, Decimals.quantity(quantity), 1);
    }

    WindowTotal add(BigDecimal more) {
        return new WindowTotal(window, quantity.add(Decimals.quantity(more)), eventCount + 1);
    }

    byte[] toBytes() {
        byte[] unscaled = quantity.unscaledValue().toByteArray();
        return ByteBuffer.allocate(FIXED + unscaled.length)
                .putLong(window.start())
                .putLong(window.end())
                .putLong(eventCount)
                .put(unscaled)
                .array();
    }

    static WindowTotal fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Window window = new Window(buffer.getLong(), buffer.getLong());
        long count = buffer.getLong();
        byte[] unscaled = new byte[buffer.remaining()];
        buffer.get(unscaled);
        return new WindowTotal(window, new BigDecimal(new BigInteger(unscaled), Decimals.QUANTITY_SCALE), count);
    }
}
