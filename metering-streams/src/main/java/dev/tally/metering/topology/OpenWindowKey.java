package dev.tally.metering.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the open-windows store: the window's end first, so that RocksDB's byte order is end-time
 * order and closing scans only the windows that are due, then stops. The sign bit is flipped so
 * that negative times also sort before positive ones.
 */
final class OpenWindowKey {

    private OpenWindowKey() {}

    static Bytes of(long windowEnd, Series series) {
        byte[] name = series.encode().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + name.length)
                .putLong(windowEnd ^ Long.MIN_VALUE)
                .put(name)
                .array());
    }

    static long windowEnd(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    static Series series(Bytes key) {
        byte[] bytes = key.get();
        return Series.parse(new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8));
    }
}
