package dev.tally.billing.web;

import java.util.List;

/** The organization, mode and scopes of the API key a request was authenticated with. */
public record ApiKeyPrincipal(String keyId, String organizationId, boolean livemode, List<String> scopes) {}
