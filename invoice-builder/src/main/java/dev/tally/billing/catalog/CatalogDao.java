package dev.tally.billing.catalog;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Customers by id or external id, for the callers outside the catalog that name a customer either
 * way. Every read is scoped to one organization and mode: a key never sees another tenant's rows.
 * Prices are read and written by {@link PriceDao}, products by {@link ProductDao}.
 */
public final class CatalogDao {

    private final Handle handle;

    public CatalogDao(Handle handle) {
        this.handle = handle;
    }

    /** The customer whose id or external id is {@code idOrExternalId} (see {@link CustomerDao}). */
    public Optional<Customer> customer(String organizationId, boolean livemode, String idOrExternalId) {
        return handle.attach(CustomerDao.class).findByIdOrExternalId(organizationId, livemode, idOrExternalId);
    }
}
