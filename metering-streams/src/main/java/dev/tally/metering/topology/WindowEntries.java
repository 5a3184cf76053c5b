package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The entries of windows whose aggregation keeps more than a number (MIN, MAX, LATEST,
 * UNIQUE_COUNT), one store entry each, so that a window holds as many distinct values as its
 * events bring and an event costs one entry's read and write, whatever the window's size. The
 * window itself keeps a small header ({@link WindowState}).
 *
 * <p>A key is {@code scope(1) windowStart(8) seriesLength(2) series aggregation(1) entry}: scopes
 * and then window starts first, so that the entries of windows past retention are one range to
 * delete; the length-prefixed series, so that one window's entries are one prefix and another
 * window's prefix never extends it. The entry part sorts in the aggregation's order (see
 * {@link EntryKey}), so the first and last entries of a prefix are a window's minimum and maximum.
 */
final class WindowEntries {

    /** The windows that have entries: billing windows, live minutes, live hours. */
    enum Scope {
        BILLING_WINDOW('W'),
        LIVE_MINUTE('M'),
        LIVE_HOUR('H');

        private final byte tag;

        Scope(char tag) {
            this.tag = (byte) tag;
        }
    }

    private static final int HEADER = 1 + Long.BYTES + Short.BYTES;
    private static final Serializer<Bytes> PREFIX = new BytesSerializer();

    private final KeyValueStore<Bytes, byte[]> store;

    WindowEntries(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** One window's entries. */
    Window of(Scope scope, long windowStart, Series series, Aggregation aggregation) {
        return new Window(prefix(scope, windowStart, series, aggregation));
    }

    /**
     * Deletes the entries of the windows of {@code scope} that start before {@code startBefore}, at
     * most {@code limit} of them (the first in key order).
     *
     * @return how many entries were deleted
     */
    int deleteBefore(Scope scope, long startBefore, int limit) {
        Bytes from = Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES)
                .put(scope.tag)
                .putLong(sortable(Long.MIN_VALUE))
                .array());
        Bytes to = Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES)
                .put(scope.tag)
                .putLong(sortable(startBefore))
                .array());
        List<Bytes> due = new ArrayList<>();
        // a store is not changed under an open iterator: read the keys, close, then delete
        try (KeyValueIterator<Bytes, byte[]> range = store.range(from, to)) {
            while (range.hasNext() && due.size() < limit) {
                due.add(range.next().key);
            }
        }
        for (Bytes key : due) {
            store.delete(key);
        }
        return due.size();
    }

    /** The values of a window in a read-only view of the store (the query API's). */
    static List<String> distinctValues(
            ReadOnlyKeyValueStore<Bytes, byte[]> store,
            Scope scope,
            long windowStart,
            Series series,
            Aggregation aggregation) {
        byte[] prefix = prefix(scope, windowStart, series, aggregation);
        List<String> values = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = store.prefixScan(Bytes.wrap(prefix), PREFIX)) {
            while (range.hasNext()) {
                KeyValue<Bytes, byte[]> next = range.next();
                // as Window.isLive: a range over the cache may return an entry deleted meanwhile
                if (next.value != null && store.get(next.key) != null) {
                    values.add(EntryKey.distinct(suffix(next.key, prefix.length)));
                }
            }
        }
        return values;
    }

    /** The entries of one window, each a sortable entry key ({@link EntryKey}) with its value. */
    final class Window {
        private final byte[] prefix;

        private Window(byte[] prefix) {
            this.prefix = prefix;
        }

        byte[] get(byte[] entry) {
            return store.get(key(entry));
        }

        void put(byte[] entry, byte[] value) {
            store.put(key(entry), value);
        }

        void delete(byte[] entry) {
            store.delete(key(entry));
        }

        /** The first entry in sort order (the smallest), or null when the window has none. */
        KeyValue<byte[], byte[]> first() {
            try (KeyValueIterator<Bytes, byte[]> range = store.prefixScan(Bytes.wrap(prefix), PREFIX)) {
                while (range.hasNext()) {
                    KeyValue<Bytes, byte[]> next = range.next();
                    if (isLive(next)) {
                        return entry(next);
                    }
                }
                return null;
            }
        }

        /** The last entry in sort order (the largest), or null when the window has none. */
        KeyValue<byte[], byte[]> last() {
            try (KeyValueIterator<Bytes, byte[]> range = store.reverseRange(Bytes.wrap(prefix), end())) {
                while (range.hasNext()) {
                    KeyValue<Bytes, byte[]> next = range.next();
                    if (startsWithPrefix(next.key.get()) && isLive(next)) {
                        return entry(next);
                    }
                }
                return null;
            }
        }

        /** Every entry key of the window, in sort order, read in one pass. */
        List<byte[]> keys() {
            List<byte[]> keys = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> range = store.prefixScan(Bytes.wrap(prefix), PREFIX)) {
                while (range.hasNext()) {
                    KeyValue<Bytes, byte[]> next = range.next();
                    if (isLive(next)) {
                        keys.add(suffix(next.key, prefix.length));
                    }
                }
            }
            return keys;
        }

        /**
         * Whether an entry a range returned is still in the store. A reverse range over the record
         * cache was seen to return an entry deleted in the same commit interval (never flushed to
         * RocksDB): a point read, which the cache answers right, decides.
         */
        private boolean isLive(KeyValue<Bytes, byte[]> entry) {
            return entry.value != null && store.get(entry.key) != null;
        }

        private Bytes key(byte[] entry) {
            byte[] key = new byte[prefix.length + entry.length];
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            System.arraycopy(entry, 0, key, prefix.length, entry.length);
            return Bytes.wrap(key);
        }

        /** Past every key of the prefix: the prefix with its last byte incremented (it is never 0xFF). */
        private Bytes end() {
            byte[] end = prefix.clone();
            end[end.length - 1]++;
            return Bytes.wrap(end);
        }

        private boolean startsWithPrefix(byte[] key) {
            return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        }

        private KeyValue<byte[], byte[]> entry(KeyValue<Bytes, byte[]> stored) {
            return KeyValue.pair(suffix(stored.key, prefix.length), stored.value);
        }
    }

    private static byte[] prefix(Scope scope, long windowStart, Series series, Aggregation aggregation) {
        byte[] name = series.encode().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER + name.length + 1)
                .put(scope.tag)
                .putLong(sortable(windowStart))
                .putShort((short) name.length)
                .put(name)
                // the aggregation's ordinal is small: the prefix never ends in 0xFF (see Window.end)
                .put((byte) aggregation.ordinal())
                .array();
    }

    private static byte[] suffix(Bytes key, int prefixLength) {
        byte[] bytes = key.get();
        byte[] entry = new byte[bytes.length - prefixLength];
        System.arraycopy(bytes, prefixLength, entry, 0, entry.length);
        return entry;
    }

    /** The sign bit flipped: byte order is then numeric order, negative times included. */
    private static long sortable(long value) {
        return value ^ Long.MIN_VALUE;
    }
}
