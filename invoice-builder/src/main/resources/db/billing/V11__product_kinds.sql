-- Products of three kinds: metered (usage of one feature, named by feature_key), recurring (a fee
-- per period) and one_time (a fee once). Only metered products have a feature key. An inactive
-- product takes no new prices; its prices, subscriptions and invoices stay as they are. A product
-- written without a type is metered (every product was, before types).
ALTER TABLE products
    ADD COLUMN description text,
    ADD COLUMN type        text        NOT NULL DEFAULT 'metered',
    ADD COLUMN active      boolean     NOT NULL DEFAULT true,
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now(),
    ALTER COLUMN feature_key DROP NOT NULL,
    ADD CONSTRAINT products_type_known CHECK (type IN ('metered', 'recurring', 'one_time')),
    ADD CONSTRAINT products_feature_of_metered CHECK ((type = 'metered') = (feature_key IS NOT NULL));

UPDATE products SET updated_at = created_at;
