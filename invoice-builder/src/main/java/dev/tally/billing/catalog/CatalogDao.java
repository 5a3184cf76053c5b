package dev.tally.billing.catalog;

import static dev.tally.billing.Rows.instant;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Prices in {@code billing}, and customers by id or external id. Every read is scoped to one
 * organization and mode: a key never sees another tenant's rows.
 */
public final class CatalogDao {

    private static final String PRICE_SELECT = "SELECT p.id, p.organization_id, p.livemode, p.product_id,"
            + " d.feature_key, p.currency, p.unit_amount, p.model, p.definition::text AS definition, p.created_at"
            + " FROM billing.prices p"
            + " JOIN billing.products d ON d.id = p.product_id";

    private final Handle handle;

    public CatalogDao(Handle handle) {
        this.handle = handle;
    }

    /** The customer whose id or external id is {@code idOrExternalId} (see {@link CustomerDao}). */
    public Optional<Customer> customer(String organizationId, boolean livemode, String idOrExternalId) {
        return handle.attach(CustomerDao.class).findByIdOrExternalId(organizationId, livemode, idOrExternalId);
    }

    public Price insertPrice(Price p) {
        handle.createUpdate(
                        "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                                + " model, definition) VALUES (:id, :org, :livemode, :product, :currency, :unitAmount,"
                                + " :model, CAST(:definition AS jsonb))")
                .bind("id", p.id())
                .bind("org", p.organizationId())
                .bind("livemode", p.livemode())
                .bind("product", p.productId())
                .bind("currency", p.currency())
                .bind("unitAmount", p.unitAmount())
                .bind("model", p.model())
                .bind("definition", p.definition())
                .execute();
        return price(p.organizationId(), p.livemode(), p.id()).orElseThrow();
    }

    public Optional<Price> price(String organizationId, boolean livemode, String id) {
        return handle.createQuery(
                        PRICE_SELECT + " WHERE p.organization_id = :org AND p.livemode = :livemode AND p.id = :id")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("id", id)
                .map((rs, ctx) -> price(rs))
                .findOne();
    }

    private static Price price(ResultSet rs) throws SQLException {
        BigDecimal unitAmount = rs.getBigDecimal("unit_amount");
        return new Price(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getString("product_id"),
                rs.getString("feature_key"),
                rs.getString("currency").strip(),
                unitAmount,
                rs.getString("model"),
                rs.getString("definition"),
                instant(rs, "created_at"));
    }
}
