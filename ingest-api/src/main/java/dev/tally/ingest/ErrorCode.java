package dev.tally.ingest;

/**
 * Every error the ingest API answers with: a stable snake_case code (what clients branch on) and
 * its HTTP status. Codes are part of the API contract: add new ones, never rename.
 */
public enum ErrorCode {
    /** No Authorization header, or not {@code Bearer <key>}. */
    MISSING_API_KEY(401),
    /** A key that is malformed or unknown. */
    INVALID_API_KEY(401),
    /** A key that was revoked. */
    API_KEY_REVOKED(401),
    /** A key past its expiry. */
    API_KEY_EXPIRED(401),
    /** A key without the {@code usage:write} scope. */
    INSUFFICIENT_SCOPE(401),

    /** The body is not valid JSON (or an NDJSON line is not). */
    INVALID_JSON(400),
    /** A required field is absent or null. */
    MISSING_FIELD(400),
    /** A field has the wrong JSON type. */
    INVALID_TYPE(400),
    /** An identifier (id, customer, feature, source) is empty, too long or has a character outside its set (never a control character). */
    INVALID_IDENTIFIER(400),
    /** The quantity is not a decimal number. */
    INVALID_QUANTITY(400),
    /** The quantity is below zero. */
    NEGATIVE_QUANTITY(400),
    /** The quantity has more than 9 decimal places. */
    TOO_MANY_DECIMALS(400),
    /** The quantity is too large. */
    QUANTITY_TOO_LARGE(400),
    /** The timestamp is not an RFC 3339 date-time with an offset. */
    INVALID_TIMESTAMP(400),
    /** The timestamp is too far in the past or the future. */
    TIMESTAMP_OUT_OF_RANGE(400),
    /** Properties are too many, or a name or value is too long or holds a control character. */
    INVALID_PROPERTIES(400),
    /** The event's feature has no active meter in the key's mode, and the organization rejects unknown features. */
    UNKNOWN_FEATURE(400),
    /** The feature's meter reads a property the event does not carry. */
    MISSING_PROPERTY(400),
    /** The property the feature's meter reads is not a value it can aggregate (not an exact decimal in bounds, or empty). */
    INVALID_PROPERTY(400),
    /** A field the event must not carry, e.g. a quantity on a retraction. */
    UNEXPECTED_FIELD(400),
    /** The request holds no event. */
    EMPTY_BATCH(400),
    /** The body claims gzip but is not valid gzip. */
    INVALID_GZIP(400),
    /** A field is sent twice (a Stripe form field), so which value was meant cannot be known. */
    DUPLICATE_FIELD(400),
    /** A query parameter has a value outside its set, e.g. {@code atomic} not {@code true} or {@code false}. */
    INVALID_PARAMETER(400),
    /** A batch has more events than allowed. */
    TOO_MANY_EVENTS(413),
    /** The body (after decompression) is larger than allowed. */
    PAYLOAD_TOO_LARGE(413),
    /** The Content-Type or Content-Encoding is not one the API reads. */
    UNSUPPORTED_MEDIA_TYPE(415),

    /** Per event: a valid event not written because another event of its all-or-nothing batch was rejected. */
    BATCH_ABORTED(400),
    /** Every event of a batch was rejected (or one was, in an all-or-nothing batch): nothing was written. */
    INVALID_EVENTS(400),

    /** The key's event rate is above its limit. */
    RATE_LIMITED(429),

    /** Too many events are awaiting the broker: retry after the advised delay. */
    OVERLOADED(503),
    /** The broker did not acknowledge the events in time: nothing of them is acknowledged. */
    BROKER_UNAVAILABLE(503),
    /** The API is still loading its API keys. */
    NOT_READY(503),
    /** The broker refused the events for a reason retrying will not fix. */
    PUBLISH_FAILED(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** The code as it appears in the JSON body, e.g. {@code invalid_api_key}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
