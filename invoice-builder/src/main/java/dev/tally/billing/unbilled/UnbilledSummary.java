package dev.tally.billing.unbilled;

/** How much unbilled usage there is: windows, and the distinct customers and features they belong to. */
public record UnbilledSummary(long windows, long customers, long features) {}
