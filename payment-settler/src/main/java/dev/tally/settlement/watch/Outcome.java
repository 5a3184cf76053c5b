package dev.tally.settlement.watch;

import java.util.Locale;

/** What a received payment did, as recorded with it. Only {@link #SETTLED} marks a request paid. */
public enum Outcome {
    /** Paid an open request in full (or more): the request is settled by it. */
    SETTLED,
    /** Right memo and asset, but less than requested: the request stays open. */
    UNDERPAID,
    /** Right memo, but another asset than requested. */
    WRONG_ASSET,
    /** Right memo, but the request was already settled by an earlier payment. */
    ALREADY_SETTLED,
    /** A MEMO_TEXT that names no payment request. */
    UNKNOWN_MEMO,
    /** No MEMO_TEXT at all (no memo, or another memo type). */
    NO_MEMO,
    /** Right memo, but the request was withdrawn: its invoice was voided, nothing is owed (kept to refund). */
    WITHDRAWN;

    /** The value stored in the {@code outcome} column. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
