package dev.tally.billing.account;

import java.time.Instant;

/** A customer's billing state and since when it holds (V31). */
public record BillingAccount(String customerId, String state, Instant stateSince) {}
