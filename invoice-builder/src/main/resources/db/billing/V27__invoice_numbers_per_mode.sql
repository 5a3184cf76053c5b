-- Issue 10: invoice numbers per organization AND mode with an organization prefix, and tenant integrity in the
-- schema (composite keys, no overlapping billing periods, payments and billing periods immutable).

-- 1. The invoice prefix (dev.tally.billing.invoice.InvoiceNumber: ACME-2026-000123, ACME-TEST-2026-000001).
-- Derived from the name (uppercased, all but A-Z0-9 dropped), completed from the id when the name leaves fewer
-- than 3 characters, cut to 12 and padded with X to 3. Not unique: numbers are unique per organization.
CREATE FUNCTION default_invoice_prefix(name text, id text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN length(p) >= 3 THEN p ELSE rpad(p, 3, 'X') END
    FROM (SELECT left(CASE WHEN length(n) >= 3 THEN n ELSE n || i END, 12) AS p
    FROM (SELECT regexp_replace(upper(coalesce(name, '')), '[^A-Z0-9]', '', 'g') AS n,
                 regexp_replace(upper(regexp_replace(id, '^org_', '')), '[^A-Z0-9]', '', 'g') AS i) s) t
$$;

ALTER TABLE organizations ADD COLUMN invoice_prefix text;
UPDATE organizations SET invoice_prefix = default_invoice_prefix(name, id);
ALTER TABLE organizations
    ALTER COLUMN invoice_prefix SET NOT NULL,
    ADD CONSTRAINT organizations_invoice_prefix_format CHECK (invoice_prefix ~ '^[A-Z0-9]{3,12}$');

-- An organization inserted without a prefix (the API when none is given, fixtures, scripts) gets the default:
-- one rule for every writer.
CREATE FUNCTION organization_invoice_prefix_default() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.invoice_prefix IS NULL THEN
        NEW.invoice_prefix := default_invoice_prefix(NEW.name, NEW.id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER organizations_invoice_prefix_defaults
    BEFORE INSERT ON organizations
    FOR EACH ROW EXECUTE FUNCTION organization_invoice_prefix_default();

-- 2. One counter per organization and mode. The shared counter of V20 is carried over to BOTH modes: the next
-- invoice of either mode goes on from it, so no sequence number of the old shared numbering is ever taken again
-- (a test invoice 5 and a live invoice 5 would both have followed INV-000004). Existing invoices keep their
-- INV- numbers.
ALTER TABLE invoice_counters ADD COLUMN livemode boolean, DROP CONSTRAINT invoice_counters_pkey;
UPDATE invoice_counters SET livemode = true;
INSERT INTO invoice_counters (organization_id, livemode, next_number)
    SELECT organization_id, false, next_number FROM invoice_counters;
ALTER TABLE invoice_counters
    ALTER COLUMN livemode SET NOT NULL,
    ADD PRIMARY KEY (organization_id, livemode);

CREATE OR REPLACE FUNCTION create_invoice_counter() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO invoice_counters (organization_id, livemode) VALUES (NEW.id, false), (NEW.id, true);
    RETURN NULL;
END $$;

-- numbers are unique per organization and mode (each mode has its sequence)
ALTER TABLE invoices
    DROP CONSTRAINT invoices_organization_id_number_key,
    ADD CONSTRAINT invoices_number_once_per_mode UNIQUE (organization_id, livemode, number);

-- 3. Payments and closed billing periods are facts once written: nothing in billing changes or removes them.
CREATE FUNCTION refuse_change_of_record() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION '% of %: rows are immutable once written', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER invoice_payments_immutable
    BEFORE UPDATE OR DELETE ON invoice_payments
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER billing_periods_immutable
    BEFORE UPDATE OR DELETE ON billing_periods
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();

-- 4. Closed billing periods never overlap within an organization and mode (PeriodClose checked it in Java
-- only). billing_periods is the table of billed periods; a subscription's cycle has none of its own: its
-- invoices span their lines, which overlap legitimately (an adjustment restates an earlier period), and each
-- of its periods is billed once by its line keys (UNIQUE (subscription_id, line_key), V14).
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE billing_periods
    ADD CONSTRAINT billing_periods_do_not_overlap EXCLUDE USING gist (
        organization_id WITH =, livemode WITH =, tstzrange(period_start, period_end) WITH &&);

-- 5. Tenant integrity: a row referencing another table's row names the organization and mode too, so that it
-- can never reference another tenant's row. Referenced tables get UNIQUE (organization_id, livemode, id).
ALTER TABLE customers ADD CONSTRAINT customers_tenant_id UNIQUE (organization_id, livemode, id);
ALTER TABLE products ADD CONSTRAINT products_tenant_id UNIQUE (organization_id, livemode, id);
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_tenant_id UNIQUE (organization_id, livemode, id);
ALTER TABLE billing_periods ADD CONSTRAINT billing_periods_tenant_id UNIQUE (organization_id, livemode, id);

ALTER TABLE prices
    DROP CONSTRAINT prices_product_id_fkey,
    ADD CONSTRAINT prices_product_of_tenant FOREIGN KEY (organization_id, livemode, product_id)
        REFERENCES products (organization_id, livemode, id);
ALTER TABLE subscriptions
    DROP CONSTRAINT subscriptions_customer_id_fkey,
    ADD CONSTRAINT subscriptions_customer_of_tenant FOREIGN KEY (organization_id, livemode, customer_id)
        REFERENCES customers (organization_id, livemode, id);
ALTER TABLE invoices
    DROP CONSTRAINT invoices_customer_id_fkey,
    DROP CONSTRAINT invoices_billing_period_id_fkey,
    DROP CONSTRAINT invoices_subscription_id_fkey,
    ADD CONSTRAINT invoices_customer_of_tenant FOREIGN KEY (organization_id, livemode, customer_id)
        REFERENCES customers (organization_id, livemode, id),
    ADD CONSTRAINT invoices_billing_period_of_tenant FOREIGN KEY (organization_id, livemode, billing_period_id)
        REFERENCES billing_periods (organization_id, livemode, id),
    ADD CONSTRAINT invoices_subscription_of_tenant FOREIGN KEY (organization_id, livemode, subscription_id)
        REFERENCES subscriptions (organization_id, livemode, id);

-- Rows without tenant columns of their own inherit their parent's tenancy: invoice_lines, payment_requests and
-- invoice_payments their invoice's, period_close_failures their period's, subscription_item_changes their
-- subscription's. What they reference besides the parent is checked against it, once per statement (the billing
-- cycle writes hundreds of lines per statement; columns and keys of their own would widen every line).

-- An item's price is of its subscription's organization and mode.
CREATE FUNCTION refuse_item_price_of_another_tenant() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    foreign_item bigint;
BEGIN
    SELECT n.sequence INTO foreign_item FROM new_items n
        JOIN subscriptions s ON s.id = n.subscription_id
        JOIN prices p ON p.id = n.price_id
        WHERE p.organization_id <> s.organization_id OR p.livemode <> s.livemode
        LIMIT 1;
    IF foreign_item IS NOT NULL THEN
        RAISE EXCEPTION 'subscription item change % names a price of another organization or mode', foreign_item
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER subscription_item_prices_of_tenant
    AFTER INSERT ON subscription_item_changes REFERENCING NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_item_price_of_another_tenant();
CREATE TRIGGER subscription_item_prices_of_tenant_on_update
    AFTER UPDATE ON subscription_item_changes REFERENCING NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_item_price_of_another_tenant();

-- A line's price is of its invoice's organization and mode, and a line of a subscription is on an invoice of
-- that subscription. As V28 does for V17's check, the statement's invoices and prices are looked up by primary
-- key from arrays of their distinct ids, planned for each statement (a generic plan cached from the cycle's first
-- batches, when the invoice tables looked empty, could scan all their rows at every later batch).
CREATE FUNCTION refuse_line_reference_of_another_tenant() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    touched_invoices text[];
    touched_prices text[];
    foreign_line text;
BEGIN
    touched_invoices := ARRAY(SELECT DISTINCT invoice_id FROM new_lines);
    touched_prices := ARRAY(SELECT DISTINCT price_id FROM new_lines WHERE price_id IS NOT NULL);
    SELECT n.id INTO foreign_line FROM new_lines n
        JOIN (SELECT id, organization_id, livemode, subscription_id FROM invoices
              WHERE id = ANY (touched_invoices)) i ON i.id = n.invoice_id
        LEFT JOIN (SELECT id, organization_id, livemode FROM prices
                   WHERE id = ANY (touched_prices)) p ON p.id = n.price_id
        WHERE (n.price_id IS NOT NULL AND (p.organization_id <> i.organization_id OR p.livemode <> i.livemode))
           OR (n.subscription_id IS NOT NULL AND n.subscription_id IS DISTINCT FROM i.subscription_id)
        LIMIT 1;
    IF foreign_line IS NOT NULL THEN
        RAISE EXCEPTION 'invoice line % names a price or subscription that is not of its invoice', foreign_line
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER invoice_lines_references_of_tenant
    AFTER INSERT ON invoice_lines REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_line_reference_of_another_tenant();
CREATE TRIGGER invoice_lines_references_of_tenant_on_update
    AFTER UPDATE ON invoice_lines REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_line_reference_of_another_tenant();

-- A ledger row is billed by a line of an invoice of its own organization and mode (the line inherits its
-- invoice's tenancy). Checked once per marking statement, per distinct line, looked up as above.
CREATE FUNCTION refuse_ledger_billed_by_another_tenant() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    touched_lines text[];
    touched_invoices text[];
    foreign_line text;
BEGIN
    touched_lines := ARRAY(SELECT DISTINCT invoice_line_id FROM new_rows WHERE invoice_line_id IS NOT NULL);
    IF cardinality(touched_lines) = 0 THEN
        RETURN NULL;
    END IF;
    touched_invoices := ARRAY(SELECT DISTINCT invoice_id FROM invoice_lines WHERE id = ANY (touched_lines));
    SELECT n.invoice_line_id INTO foreign_line
        FROM (SELECT DISTINCT organization_id, livemode, invoice_line_id FROM new_rows
              WHERE invoice_line_id IS NOT NULL) n
        JOIN (SELECT id, invoice_id FROM invoice_lines WHERE id = ANY (touched_lines)) il
            ON il.id = n.invoice_line_id
        JOIN (SELECT id, organization_id, livemode FROM invoices WHERE id = ANY (touched_invoices)) i
            ON i.id = il.invoice_id
        WHERE i.organization_id <> n.organization_id OR i.livemode <> n.livemode
        LIMIT 1;
    IF foreign_line IS NOT NULL THEN
        RAISE EXCEPTION 'ledger rows cannot be billed by invoice line % of another organization or mode', foreign_line
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_ledger_billed_by_own_tenant
    AFTER UPDATE ON usage_ledger REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_billed_by_another_tenant();
