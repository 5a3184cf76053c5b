package dev.tally.billing.ledger;

import java.util.List;

/**
 * How many distinct values UNIQUE_COUNT windows hold together, each as of its statement's
 * revision. The values live in {@link WindowValuesDao} (counted there in SQL, see {@link
 * ExactDistinctCounter}); the merge that needs the count stays pure.
 */
@FunctionalInterface
public interface DistinctCounter {

    /** The size of the union of the distinct values of {@code windows} (each window's statement once). */
    long count(List<LedgerEntry> windows);
}
