package dev.tally.billing;

/** Every error invoice-builder reports, with its HTTP status and its stable code. */
public enum ErrorCode {
    MALFORMED_JSON(400),
    /** A JSON body names a member the endpoint does not know (a typo must not be ignored). */
    UNKNOWN_FIELD(400),
    /** A JSON body gives one member twice, or a query one parameter. */
    DUPLICATE_FIELD(400),
    INVALID_REQUEST(400),
    MISSING_CREDENTIALS(401),
    INVALID_ADMIN_TOKEN(401),
    INVALID_API_KEY(401),
    API_KEY_REVOKED(401),
    API_KEY_EXPIRED(401),
    INSUFFICIENT_SCOPE(403),
    NOT_FOUND(404),
    ALREADY_EXISTS(409),
    /** An update's {@code If-Match} names a version the record no longer has: read it again. */
    VERSION_CONFLICT(409),
    /** The customer is archived: it is kept as a record and takes no change or new subscription. */
    CUSTOMER_ARCHIVED(409),
    /**
     * A subscription item would rate a feature that another subscription of the customer already rates
     * at some instant of the same time: usage must never be rated twice.
     */
    FEATURE_ALREADY_RATED(409),
    /** The subscription has ended (its cancellation took effect): it takes no change. */
    SUBSCRIPTION_CANCELED(409),
    AMBIGUOUS_KEY_PREFIX(409),
    /**
     * The invoice is not in a status the transition leaves from (e.g. voiding a paid invoice); the error
     * names its current {@code status}.
     */
    INVOICE_STATE_CONFLICT(409),
    /** The invoice's credit notes already credit all of its total: a further credit note has nothing to credit. */
    INVOICE_FULLY_CREDITED(409),
    PERIOD_OVERLAPS(409);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** The stable snake_case code in error bodies. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
