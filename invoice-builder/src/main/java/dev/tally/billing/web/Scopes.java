package dev.tally.billing.web;

import java.util.List;

/** The scopes an API key may carry. */
public final class Scopes {

    public static final String USAGE_WRITE = "usage:write";
    public static final String USAGE_READ = "usage:read";
    public static final String BILLING_READ = "billing:read";
    public static final String BILLING_WRITE = "billing:write";

    /** Every scope, the default of a new key. */
    public static final List<String> ALL = List.of(USAGE_WRITE, USAGE_READ, BILLING_READ, BILLING_WRITE);

    private Scopes() {}
}
