package dev.tally.testkit.stellar;

/**
 * Horizon's total order ids: ledger sequence in the top 32 bits, then the transaction's order in the
 * ledger (20 bits) and the operation's index (12 bits, 1-based; 0 for the transaction itself). The
 * fake closes one ledger per transaction, so the order in the ledger is always 1.
 */
final class Toid {

    private Toid() {}

    static long of(long ledger, int operationIndex) {
        return (ledger << 32) | (1L << 12) | operationIndex;
    }
}
