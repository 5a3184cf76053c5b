package dev.tally.billing.account;

import java.time.Instant;

/**
 * One change of a customer's billing state, as it was written: the {@code change}th of the customer (which
 * names its event), and the invoice that caused it (the earliest open one past due, or, back to active, the
 * one just paid, voided or written off).
 */
public record BillingStateChange(
        String customerId, String previousState, String state, Instant since, long change, String causeInvoiceId) {}
