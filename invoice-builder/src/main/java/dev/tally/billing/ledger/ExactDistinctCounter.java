package dev.tally.billing.ledger;

import java.util.List;

/**
 * The {@link DistinctCounter} over the stored values ({@link WindowValuesDao}) that refuses to
 * guess: the union is counted only when every window's values as of its revision are complete
 * (every part of every revision 0..r received), else it throws {@link UsageIncompleteException}.
 */
public final class ExactDistinctCounter implements DistinctCounter {

    private final WindowValuesDao values;
    private final String organizationId;
    private final boolean livemode;

    public ExactDistinctCounter(WindowValuesDao values, String organizationId, boolean livemode) {
        this.values = values;
        this.organizationId = organizationId;
        this.livemode = livemode;
    }

    @Override
    public long count(List<LedgerEntry> windows) {
        List<WindowValuesDao.MissingStatement> missing = values.missing(organizationId, livemode, windows);
        if (!missing.isEmpty()) {
            throw new UsageIncompleteException(windows, missing);
        }
        return values.distinctCount(organizationId, livemode, windows);
    }
}
