package dev.tally.billing.ledger;

import java.util.List;

/**
 * UNIQUE_COUNT windows whose values cannot be counted exactly yet: a statement they are built from
 * (a revision, or a part of one) has not arrived. Billing them now would bill a wrong count; the
 * statement is on its way (revisions travel on two topics), so a later attempt succeeds.
 */
public final class UsageIncompleteException extends RuntimeException {

    private final transient List<WindowValuesDao.MissingStatement> missing;

    public UsageIncompleteException(List<LedgerEntry> windows, List<WindowValuesDao.MissingStatement> missing) {
        super(describe(windows, missing));
        this.missing = List.copyOf(missing);
    }

    /** The windows not complete yet, each with its first missing statement. */
    public List<WindowValuesDao.MissingStatement> missing() {
        return missing;
    }

    private static String describe(List<LedgerEntry> windows, List<WindowValuesDao.MissingStatement> missing) {
        WindowValuesDao.MissingStatement first = missing.getFirst();
        String window = windows.stream()
                .filter(w -> w.windowKey().equals(first.windowKey()))
                .findFirst()
                .map(w -> w.feature() + " window " + w.windowStart() + " (" + w.windowKey() + ")")
                .orElse("window " + first.windowKey());
        String statement = first.parts() == null
                ? "revision " + first.revision() + " has not arrived"
                : "part " + first.part() + " of " + first.parts() + " of revision " + first.revision()
                        + " has not arrived";
        String others = missing.size() == 1 ? "" : " (and " + (missing.size() - 1) + " more incomplete windows)";
        return "the values of " + window + " as of revision " + first.asOfRevision() + " are incomplete: " + statement
                + others;
    }
}
