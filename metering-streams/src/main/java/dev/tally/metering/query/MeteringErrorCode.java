package dev.tally.metering.query;

/** Every error the metering HTTP API answers, with its HTTP status and stable code. */
public enum MeteringErrorCode {
    MISSING_API_KEY(401, "missing_api_key"),
    INVALID_API_KEY(401, "invalid_api_key"),
    REVOKED_API_KEY(401, "revoked_api_key"),
    INSUFFICIENT_SCOPE(403, "insufficient_scope"),
    INVALID_PARAMETER(400, "invalid_parameter"),
    USAGE_UNAVAILABLE(503, "usage_unavailable");

    private final int status;
    private final String code;

    MeteringErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The stable snake_case code clients match on. */
    public String code() {
        return code;
    }
}
