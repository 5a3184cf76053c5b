package dev.tally.metering.topology;

/**
 * An event metering accepted from the topic but could not count, as its client may read it back:
 * which event, why (a reason code of {@link Rejections}, and details) and when. Identifiers the
 * event lacked are null.
 *
 * @param eventId the event's id, or null
 * @param customerId the event's customer, or null
 * @param feature the event's feature, or null
 * @param reason the reason code, e.g. {@code retraction_target_unknown}
 * @param message what exactly was wrong
 * @param rejectedAt epoch millis, the wall clock of the rejection
 */
public record RejectedEvent(
        String eventId, String customerId, String feature, String reason, String message, long rejectedAt) {}
