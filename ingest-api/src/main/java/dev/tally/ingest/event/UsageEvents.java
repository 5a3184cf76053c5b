package dev.tally.ingest.event;

import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.schemas.avro.UsageEvent;
import java.time.Instant;

/** Builds the usage-events record of an accepted event. */
public final class UsageEvents {

    private UsageEvents() {}

    /**
     * The record for {@code input} sent with {@code principal}'s key: the organization and the mode
     * come from the key, never from the body.
     *
     * @param eventId the client's id, or the one generated for it
     * @param receivedAt when the API received the event; also the occurrence time when the client sent none
     */
    public static UsageEvent of(EventInput input, String eventId, ApiKeyPrincipal principal, Instant receivedAt) {
        return new UsageEvent(
                eventId,
                principal.organizationId(),
                input.customer(),
                input.feature(),
                input.quantity(),
                input.occurredAt() == null ? receivedAt : input.occurredAt(),
                receivedAt,
                input.properties(),
                principal.livemode(),
                input.retracts());
    }
}
