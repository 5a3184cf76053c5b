package dev.tally.testkit.stellar;

/** What a submission to {@code POST /transactions} came to. */
sealed interface SubmitOutcome {

    /** Applied in a ledger (now, or earlier for a resubmitted envelope). */
    record Applied(AppliedTransaction transaction) implements SubmitOutcome {}

    /** Entered a ledger but an operation failed: {@code tx_failed}, sequence and fee consumed. */
    record Failed(AppliedTransaction transaction) implements SubmitOutcome {}

    /** Refused before entering a ledger (bad auth, bad sequence, ...): nothing changed. */
    record Refused(String envelopeXdr, String transactionCode, String resultXdr) implements SubmitOutcome {}

    /** Not a decodable transaction envelope. */
    record Malformed(String detail) implements SubmitOutcome {}
}
