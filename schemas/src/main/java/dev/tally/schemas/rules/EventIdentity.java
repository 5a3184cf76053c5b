package dev.tally.schemas.rules;

import dev.tally.schemas.topic.Keys;

/**
 * What makes two usage events the same event: <b>(organization, mode, customer, event id)</b>.
 * Ingest's answers ({@code duplicate}) and metering's dedup use this one rule, so an id reused
 * under another customer is a different event, counted once, whichever partitions they land on.
 *
 * <p>A CloudEvent is identified by its {@code source} and {@code id} together; {@link
 * #cloudEventId} joins them into one event id that no other pair produces.
 */
public final class EventIdentity {

    private EventIdentity() {}

    /**
     * The identity as one string, {@code mode|organization|customer|eventId}: the organization and
     * customer never hold the separator, and the event id (which may) comes last, so distinct
     * identities never share a key.
     */
    public static String key(String organizationId, boolean livemode, String customerId, String eventId) {
        return (livemode ? "live" : "test")
                + Keys.SEPARATOR
                + organizationId
                + Keys.SEPARATOR
                + customerId
                + Keys.SEPARATOR
                + eventId;
    }

    /**
     * The event id of a CloudEvent: its {@code source} with {@code %} and {@code #} percent-encoded,
     * then {@code #}, then its {@code id}. The encoded source never holds {@code #}, so the first
     * {@code #} splits the pair back: ({@code /s}, {@code x#y}) is {@code /s#x#y} and ({@code /s#x},
     * {@code y}) is {@code /s%23x#y}. A source without those characters reads as it was sent.
     */
    public static String cloudEventId(String source, String id) {
        StringBuilder joined = new StringBuilder(source.length() + id.length() + 8);
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            switch (c) {
                case '%' -> joined.append("%25");
                case '#' -> joined.append("%23");
                default -> joined.append(c);
            }
        }
        return joined.append('#').append(id).toString();
    }
}
