package dev.tally.ingest.event;

/** The JSON shape of one event in a request body. */
public enum EventShape {
    /** Tally's own: {@code {"id","customer","feature","quantity","timestamp","properties"}}. */
    TALLY,
    /**
     * A CloudEvents 1.0 event, mapped as OpenMeter maps it: {@code subject} is the customer,
     * {@code type} the feature, {@code source} and {@code id} together the event's identity, and
     * the quantity {@code data.quantity} or {@code data.value} (1 when neither is present).
     */
    CLOUD_EVENT
}
