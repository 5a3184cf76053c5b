package dev.tally.ingest.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/** A meter event in Stripe's response shape ({@code billing.meter_event}). */
@Serdeable
public record MeterEvent(
        String object,
        long created,
        @JsonProperty("event_name") String eventName,
        String identifier,
        boolean livemode,
        Map<String, String> payload,
        long timestamp) {}
