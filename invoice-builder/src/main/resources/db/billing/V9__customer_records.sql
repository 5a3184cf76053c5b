-- Customers become whole catalog records (issue 9): contact fields, the time zone their billing
-- periods will follow, a currency, two metadata objects, a version for optimistic concurrency and
-- archival instead of deletion (an archived customer keeps its row, its invoices and its usage).

-- The zone an organization's new customers get when they name none. Stored on each customer at
-- creation, so changing it later never moves the periods of existing customers. The API accepts
-- IANA names only (a raw offset such as +02:00 ignores daylight saving time); the database keeps
-- a bound.
ALTER TABLE organizations
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64);

ALTER TABLE customers
    -- syntax and bounds are the API's; the unique index below compares addresses case-insensitively
    ADD COLUMN email             text CHECK (length(email) BETWEEN 3 AND 254),
    -- E.164: + and 7 to 15 digits
    ADD COLUMN phone             text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    ADD COLUMN time_zone         text CHECK (length(time_zone) BETWEEN 1 AND 64),
    -- ISO 4217; NULL: none chosen yet (a subscription carries its own currency)
    ADD COLUMN currency          text CHECK (currency ~ '^[A-Z]{3}$'),
    -- flat objects of strings; their bounds (keys, lengths) are the API's
    ADD COLUMN app_metadata      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(app_metadata) = 'object'),
    ADD COLUMN internal_metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(internal_metadata) = 'object'),
    -- 1 at creation, +1 on every change: a PATCH with If-Match: <version> applies only to that one
    ADD COLUMN version           bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN updated_at        timestamptz,
    ADD COLUMN archived_at       timestamptz;

-- Existing customers: their organization's zone (UTC, just added) and no change since creation.
UPDATE customers c SET time_zone = o.time_zone, updated_at = c.created_at
FROM organizations o WHERE o.id = c.organization_id;

ALTER TABLE customers
    ALTER COLUMN time_zone SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ADD CHECK (archived_at IS NULL OR archived_at >= created_at);

-- A customer inserted without a zone takes its organization's, read in the inserting statement:
-- one rule for the API and for every other writer.
CREATE FUNCTION customer_zone_defaults_to_organization() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.time_zone IS NULL THEN
        SELECT time_zone INTO NEW.time_zone FROM organizations WHERE id = NEW.organization_id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER customers_zone_defaults_to_organization
    BEFORE INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION customer_zone_defaults_to_organization();

-- One customer per e-mail address among the active ones of an organization and mode, compared
-- case-insensitively. Archived customers keep their address for the record but no longer hold it:
-- a customer who left and comes back is a new customer. The external id, by contrast, stays
-- unique among all customers, archived ones included (V1): the ledger and the invoices name a
-- customer by it, so it is never reused.
CREATE UNIQUE INDEX customers_email_unique ON customers (organization_id, livemode, lower(email))
    WHERE email IS NOT NULL AND archived_at IS NULL;

-- The list: oldest first within an organization and mode.
CREATE INDEX customers_list ON customers (organization_id, livemode, created_at, id);
