package dev.tally.billing.unbilled;

/** The unbilled usage of the whole deployment: windows, and the organizations they belong to. */
public record UnbilledTotals(long windows, long organizations) {}
