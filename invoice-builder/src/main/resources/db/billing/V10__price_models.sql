-- Prices of every model (flat, per_unit, graduated, volume, package, percentage): each keeps its
-- definition as the API accepted it (the fields of POST /v1/prices, decimals as strings) and is
-- validated again by the same code whenever it is read, so there is one reading of a price.
-- unit_amount stays, for per_unit prices only: the period close rates those.
ALTER TABLE prices
    ADD COLUMN model      text,
    ADD COLUMN definition jsonb;

UPDATE prices
SET model = 'per_unit',
    definition = jsonb_build_object(
        'currency', rtrim(currency),
        'model', 'per_unit',
        'unitAmount', unit_amount::text,
        'interval', 'month',
        'intervalCount', 1,
        'billingTiming', 'in_arrears');

ALTER TABLE prices
    ALTER COLUMN model SET NOT NULL,
    ALTER COLUMN definition SET NOT NULL,
    ALTER COLUMN unit_amount DROP NOT NULL,
    ADD CONSTRAINT prices_model_known
        CHECK (model IN ('flat', 'per_unit', 'graduated', 'volume', 'package', 'percentage')),
    ADD CONSTRAINT prices_unit_amount_of_per_unit
        CHECK ((model = 'per_unit') = (unit_amount IS NOT NULL));
