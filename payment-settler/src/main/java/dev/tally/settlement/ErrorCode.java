package dev.tally.settlement;

/** Stable codes of everything payment-settler refuses or cannot do. */
public enum ErrorCode {
    /** A {@code tally.settlement.*} setting is missing or invalid. */
    INVALID_CONFIGURATION,
    /** An amount cannot be represented exactly as a Stellar amount (7 decimals, int64 stroops). */
    AMOUNT_NOT_REPRESENTABLE,
    /** Horizon did not answer, or answered something unusable. */
    HORIZON_UNAVAILABLE,
    /** Horizon serves another network than the configured passphrase. */
    NETWORK_MISMATCH
}
