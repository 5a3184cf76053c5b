package dev.tally.billing.account;

import dev.tally.billing.BillingDatabase;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads customers' billing accounts for the customer API: a page of them in one statement. */
@Singleton
public final class BillingAccounts {

    private final BillingDatabase database;

    public BillingAccounts(BillingDatabase database) {
        this.database = database;
    }

    /** The accounts of {@code customerIds} of an organization and mode, by customer id. */
    public Map<String, BillingAccount> of(String organizationId, boolean livemode, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Map.of();
        }
        return database
                .jdbi()
                .withExtension(
                        BillingAccountDao.class,
                        dao -> dao.accounts(organizationId, livemode, customerIds.toArray(String[]::new)))
                .stream()
                .collect(Collectors.toMap(BillingAccount::customerId, Function.identity()));
    }

    /**
     * The account of {@code customerId} in {@code accounts}, or active since its creation: every customer gets
     * its account as it is created (V31), but rows written with triggers off (bulk loads) have none yet.
     */
    public static BillingAccount orActive(Map<String, BillingAccount> accounts, String customerId, Instant createdAt) {
        BillingAccount account = accounts.get(customerId);
        return account != null ? account : new BillingAccount(customerId, BillingState.ACTIVE.text(), createdAt);
    }
}
