-- The product and price lists (GET /v1/products, GET /v1/prices): oldest first within an
-- organization and mode, paged by (created_at, id) as the customer list is (V9).
CREATE INDEX products_list ON products (organization_id, livemode, created_at, id);
CREATE INDEX prices_list ON prices (organization_id, livemode, created_at, id);
-- The price list filtered by product.
CREATE INDEX prices_product ON prices (product_id);
