package dev.tally.metering.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The state and last revision of every closed window within the correction horizon, so that a
 * late event or a retraction restates the whole window. A window store keyed by series and
 * timestamped by window start; closed windows are always in the wall clock's past, so its
 * retention (the correction horizon) keeps every window that starts after {@code now - horizon}.
 */
final class ClosedWindows {

    private final WindowStore<Bytes, byte[]> store;

    ClosedWindows(WindowStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The window's revision and state, or null when it never closed with usage (or was forgotten). */
    StateCodec.Revised find(Series series, long windowStart) {
        byte[] stored = store.fetch(key(series), windowStart);
        return stored == null ? null : StateCodec.decodeRevised(stored);
    }

    void put(Series series, long windowStart, long revision, WindowState state) {
        store.put(key(series), StateCodec.encode(revision, state), windowStart);
    }

    private static Bytes key(Series series) {
        return Bytes.wrap(series.encode().getBytes(StandardCharsets.UTF_8));
    }
}
