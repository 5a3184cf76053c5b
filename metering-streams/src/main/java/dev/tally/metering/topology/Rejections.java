package dev.tally.metering.topology;

import dev.tally.schemas.avro.RejectedRecord;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds the dead letters of usage-rejected, each with where it came from and why. The reason is
 * {@code <code>: <details>}, the code one of the constants here.
 */
final class Rejections {

    /** Records whose bytes could not be read as a usage event. */
    static final String UNDESERIALIZABLE = "undeserializable";

    /** Records that were read but lack what any event needs (ids, a valid quantity, a time). */
    static final String INVALID = "invalid";

    /** The meter reads a property the event does not carry. */
    static final String MISSING_PROPERTY = "missing_property";

    /** The meter reads a property whose value is not a non-negative decimal of at most 9 places. */
    static final String INVALID_PROPERTY = "invalid_property";

    /** The event's window is older than the closed windows metering keeps to restate. */
    static final String BEYOND_CORRECTION_HORIZON = "beyond_correction_horizon";

    /** A retraction names an event this partition does not know (never seen or forgotten). */
    static final String RETRACTION_TARGET_UNKNOWN = "retraction_target_unknown";

    /** A retraction names an event of another customer or feature, or another retraction. */
    static final String RETRACTION_MISMATCH = "retraction_mismatch";

    private Rejections() {}

    static RejectedRecord of(
            String topic,
            int partition,
            long offset,
            String code,
            String detail,
            byte[] key,
            byte[] value,
            long nowMillis) {
        return RejectedRecord.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setReason(code + ": " + detail)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setRejectedAt(Instant.ofEpochMilli(nowMillis))
                .build();
    }
}
