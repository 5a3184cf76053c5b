package dev.tally.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Settings of the ingest API, under {@code tally.ingest.*} (or {@code TALLY_INGEST_*}).
 *
 * @param clientId Kafka client id of the producer and of the API-key reader
 * @param maxPastAge how far in the past an event's timestamp may be
 * @param maxFutureSkew how far in the future an event's timestamp may be (client clock skew)
 * @param maxIdLength maximum length of an event id (idempotency key)
 * @param maxProperties maximum number of properties on one event
 * @param maxPropertyKeyLength maximum length of a property name
 * @param maxPropertyValueLength maximum length of a property value
 * @param maxInFlightBytes bytes of accepted events awaiting the broker's acknowledgement; past it the API
 *     answers 503 with Retry-After instead of queueing without bound
 * @param deliveryTimeout how long the producer keeps trying to deliver an event before the request fails
 *     with 503 (nothing is acknowledged that is not durable)
 * @param maxBlock how long a send may wait for topic metadata; kept short because sends run on the event loop
 * @param startupTimeout how long start-up waits for the broker (topic metadata) and the registry
 * @param retryAfter the Retry-After advised when the API is overloaded or the broker unavailable
 * @param maxBatchEvents most events in one request
 * @param maxBodyBytes largest request body, after decompression
 * @param recentIds how many recently accepted event ids each instance remembers to answer {@code duplicate}
 * @param rateLimit events per second each API key may send (token bucket refill rate); 0 disables the limit
 * @param rateBurst events a key may send at once (token bucket size)
 * @param linger producer {@code linger.ms}: how long a send waits to fill a batch; every single-event request
 *     waits it before its ack, so it is kept shorter than the platform's default
 * @param compression producer {@code compression.type} of usage-events ({@code lz4}, {@code none}, {@code zstd},
 *     {@code snappy}, {@code gzip}): lz4 keeps the log small; the client allocates its buffers per batch, which
 *     costs most when single events make batches of a few records
 * @param keyLookupTimeout how long an unknown key waits for the API-key feed to catch up before 401 (a key
 *     created a moment ago works on its first request)
 * @param keyUsageInterval how often the keys used since the last round are published to api-key-usage (their
 *     {@code last_used_at} is written in batches, never per request)
 */
@ConfigurationProperties("tally.ingest")
public record IngestSettings(
        @Bindable(defaultValue = "tally-ingest") @NotBlank String clientId,
        @Bindable(defaultValue = "35d") @NotNull Duration maxPastAge,
        @Bindable(defaultValue = "5m") @NotNull Duration maxFutureSkew,
        @Bindable(defaultValue = "128") @Min(1) int maxIdLength,
        @Bindable(defaultValue = "50") @Min(0) int maxProperties,
        @Bindable(defaultValue = "64") @Min(1) int maxPropertyKeyLength,
        @Bindable(defaultValue = "512") @Min(1) int maxPropertyValueLength,
        @Bindable(defaultValue = "33554432") @Min(1024) long maxInFlightBytes,
        @Bindable(defaultValue = "20s") @NotNull Duration deliveryTimeout,
        @Bindable(defaultValue = "200ms") @NotNull Duration maxBlock,
        @Bindable(defaultValue = "30s") @NotNull Duration startupTimeout,
        @Bindable(defaultValue = "1s") @NotNull Duration retryAfter,
        @Bindable(defaultValue = "2s") @NotNull Duration keyLookupTimeout,
        @Bindable(defaultValue = "10000") @Min(1) int maxBatchEvents,
        @Bindable(defaultValue = "5242880") @Min(1024) int maxBodyBytes,
        @Bindable(defaultValue = "100000") @Min(0) int recentIds,
        @Bindable(defaultValue = "50000") @Min(0) long rateLimit,
        @Bindable(defaultValue = "100000") @Min(1) long rateBurst,
        @Bindable(defaultValue = "1ms") @NotNull Duration linger,
        @Bindable(defaultValue = "lz4") @NotBlank String compression,
        @Bindable(defaultValue = "5s") @NotNull Duration keyUsageInterval) {}
