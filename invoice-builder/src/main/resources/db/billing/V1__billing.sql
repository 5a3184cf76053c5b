-- Billing schema: tenants and keys, catalog, usage ledger, invoices, payments (offsets and outbox: platform V0_1).

CREATE TABLE organizations (
    id                  text        PRIMARY KEY,
    name                text        NOT NULL,
    next_invoice_number bigint      NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a key is stored, with its visible prefix; never the key itself.
CREATE TABLE api_keys (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    key_hash        char(64)    NOT NULL UNIQUE,
    key_prefix      text        NOT NULL,
    livemode        boolean     NOT NULL,
    scopes          text[]      NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_prefix ON api_keys (key_prefix);

CREATE TABLE customers (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    livemode        boolean     NOT NULL,
    external_id     text        NOT NULL,
    name            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, livemode, external_id)
);

CREATE TABLE products (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    livemode        boolean     NOT NULL,
    feature_key     text        NOT NULL,
    name            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, livemode, feature_key)
);

-- Per-unit prices: unit_amount in the currency's major unit, exact to 9 decimal places.
CREATE TABLE prices (
    id              text           PRIMARY KEY,
    organization_id text           NOT NULL REFERENCES organizations (id),
    livemode        boolean        NOT NULL,
    product_id      text           NOT NULL REFERENCES products (id),
    currency        char(3)        NOT NULL,
    unit_amount     numeric(24, 9) NOT NULL CHECK (unit_amount >= 0),
    created_at      timestamptz    NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    livemode        boolean     NOT NULL,
    customer_id     text        NOT NULL REFERENCES customers (id),
    price_id        text        NOT NULL REFERENCES prices (id),
    product_id      text        NOT NULL REFERENCES products (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- one price per feature and customer, so usage is never rated twice
    UNIQUE (customer_id, product_id)
);

CREATE TABLE billing_periods (
    id              bigserial   PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    livemode        boolean     NOT NULL,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL CHECK (period_end > period_start),
    closed_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, livemode, period_start, period_end)
);

CREATE TABLE invoices (
    id                text        PRIMARY KEY,
    number            text        NOT NULL,
    organization_id   text        NOT NULL REFERENCES organizations (id),
    livemode          boolean     NOT NULL,
    customer_id       text        NOT NULL REFERENCES customers (id),
    billing_period_id bigint      NOT NULL REFERENCES billing_periods (id),
    currency          char(3)     NOT NULL,
    period_start      timestamptz NOT NULL,
    period_end        timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('draft', 'finalized', 'paid')),
    total_minor       bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finalized_at      timestamptz,
    paid_at           timestamptz,
    UNIQUE (organization_id, number),
    CHECK (status = 'draft' OR finalized_at IS NOT NULL),
    CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE invoice_lines (
    id          text           PRIMARY KEY,
    invoice_id  text           NOT NULL REFERENCES invoices (id),
    price_id    text           NOT NULL REFERENCES prices (id),
    feature_key text           NOT NULL,
    quantity    numeric(38, 9) NOT NULL,
    unit_amount numeric(24, 9) NOT NULL,
    amount_minor bigint        NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);

-- One row per UsageAggregate (window or correction); billed once its invoice_line_id is set.
CREATE TABLE usage_ledger (
    id              bigserial      PRIMARY KEY,
    aggregate_id    text           NOT NULL UNIQUE,
    organization_id text           NOT NULL,
    livemode        boolean        NOT NULL,
    customer        text           NOT NULL,
    feature         text           NOT NULL,
    window_start    timestamptz    NOT NULL,
    window_end      timestamptz    NOT NULL,
    quantity        numeric(38, 9) NOT NULL,
    event_count     bigint         NOT NULL,
    kind            text           NOT NULL CHECK (kind IN ('window', 'correction')),
    source_topic    text           NOT NULL,
    source_partition int           NOT NULL,
    source_offset   bigint         NOT NULL,
    recorded_at     timestamptz    NOT NULL DEFAULT now(),
    invoice_line_id text           REFERENCES invoice_lines (id)
);
CREATE INDEX usage_ledger_unbilled ON usage_ledger (organization_id, livemode, window_start)
    WHERE invoice_line_id IS NULL;
CREATE INDEX usage_ledger_customer ON usage_ledger (organization_id, livemode, customer);

CREATE TABLE payment_requests (
    invoice_id   text           PRIMARY KEY REFERENCES invoices (id),
    event_id     text           NOT NULL,
    pay_uri      text,
    memo         text           NOT NULL,
    amount       numeric(25, 7) NOT NULL,
    asset_code   text           NOT NULL,
    asset_issuer text,
    destination  text           NOT NULL,
    requested_at timestamptz    NOT NULL
);

CREATE TABLE invoice_payments (
    id               bigserial      PRIMARY KEY,
    invoice_id       text           NOT NULL REFERENCES invoices (id),
    event_id         text           NOT NULL,
    transaction_hash text           NOT NULL UNIQUE,
    amount           numeric(25, 7) NOT NULL,
    asset_code       text           NOT NULL,
    asset_issuer     text,
    source_account   text,
    paid_at          timestamptz    NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id);

-- Finalized invoices never change: only finalized -> paid (with paid_at) is allowed.
CREATE FUNCTION refuse_finalized_invoice_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'finalized' AND NEW.status = 'paid' AND NEW.paid_at IS NOT NULL
            AND to_jsonb(NEW) - 'status' - 'paid_at' = to_jsonb(OLD) - 'status' - 'paid_at' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'invoice % is %: it cannot be changed', OLD.id, OLD.status
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER invoices_immutable_once_finalized
    BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION refuse_finalized_invoice_change();

CREATE FUNCTION refuse_finalized_line_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    target text;
    invoice_status text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        target := NEW.invoice_id;
    ELSE
        target := OLD.invoice_id;
    END IF;
    SELECT status INTO invoice_status FROM invoices WHERE id = target;
    IF TG_OP = 'UPDATE' AND NEW.invoice_id <> OLD.invoice_id THEN
        RAISE EXCEPTION 'invoice line % cannot move to another invoice', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF invoice_status IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'invoice % is %: its lines cannot be changed', target, invoice_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER invoice_lines_immutable_once_finalized
    BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_finalized_line_change();

-- Invoice total = sum of its lines, checked at commit (after all lines of the transaction are in).
CREATE FUNCTION check_total_of(target text) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    expected bigint;
    actual bigint;
BEGIN
    SELECT total_minor INTO expected FROM invoices WHERE id = target;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT coalesce(sum(amount_minor), 0) INTO actual FROM invoice_lines WHERE invoice_id = target;
    IF expected <> actual THEN
        RAISE EXCEPTION 'invoice % total % differs from the sum of its lines %', target, expected, actual
            USING ERRCODE = 'check_violation';
    END IF;
END $$;

CREATE FUNCTION check_invoice_total() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM check_total_of(NEW.id);
    RETURN NULL;
END $$;

CREATE FUNCTION check_line_invoice_total() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM check_total_of(OLD.invoice_id);
    ELSE
        PERFORM check_total_of(NEW.invoice_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER invoices_total_is_sum_of_lines
    AFTER INSERT OR UPDATE ON invoices
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_invoice_total();

CREATE CONSTRAINT TRIGGER invoice_lines_sum_to_total
    AFTER INSERT OR UPDATE OR DELETE ON invoice_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_line_invoice_total();

-- A billed ledger row is part of a finalized invoice: it never changes either.
CREATE FUNCTION refuse_billed_ledger_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF OLD.invoice_line_id IS NOT NULL THEN
        RAISE EXCEPTION 'ledger row % is billed: it cannot be changed', OLD.aggregate_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER usage_ledger_immutable_once_billed
    BEFORE UPDATE OR DELETE ON usage_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_billed_ledger_change();
