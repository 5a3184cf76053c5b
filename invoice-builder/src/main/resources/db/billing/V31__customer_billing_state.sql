-- The customer's billing state (issue 10), after the seed's BillingAccount:
--
--   active ──(an open invoice is past its due date)──▶ overdue ──(past due + the organization's grace days)──▶ suspended
--     ▲                                                   │                                                      │
--     └──────────────(no open invoice is past due any more: paid, voided or written off)─────────────────────────┘
--
-- Only open (finalized) invoices count: paid, void and uncollectible ones do not. The rule is the function
-- billing_state_at below, the one place it is written; the worker (dev.tally.billing.account) moves the stored
-- state forward with the billing clock, and a payment or transition of an invoice moves it back in its own
-- transaction. Each change counts one more in `changes`, which names the change's event (one per change).

ALTER TABLE organizations
    ADD COLUMN grace_days integer NOT NULL DEFAULT 14
        CONSTRAINT organizations_grace_days_bounded CHECK (grace_days BETWEEN 0 AND 365);

CREATE TABLE billing_accounts (
    customer_id     text        PRIMARY KEY,
    organization_id text        NOT NULL,
    livemode        boolean     NOT NULL,
    state           text        NOT NULL DEFAULT 'active'
        CONSTRAINT billing_accounts_state_known CHECK (state IN ('active', 'overdue', 'suspended')),
    state_since     timestamptz NOT NULL,
    changes         bigint      NOT NULL DEFAULT 0 CONSTRAINT billing_accounts_changes_counted CHECK (changes >= 0),
    FOREIGN KEY (organization_id, livemode, customer_id) REFERENCES customers (organization_id, livemode, id)
);

-- The worker's candidates: the accounts not active (they may return), beside the customers with an open
-- invoice past due (read from the index below).
CREATE INDEX billing_accounts_not_active ON billing_accounts (customer_id) WHERE state <> 'active';
CREATE INDEX invoices_open_by_due ON invoices (due_at, customer_id) WHERE status = 'finalized';
CREATE INDEX invoices_open_by_customer ON invoices (customer_id, due_at) WHERE status = 'finalized';

-- The state of a customer whose earliest open invoice falls due at earliest_due (null: none open), at `at`.
-- Past due means strictly after the due date, as the API's overdue flag reads it.
CREATE FUNCTION billing_state_at(earliest_due timestamptz, grace_days integer, at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN earliest_due IS NULL OR at <= earliest_due THEN 'active'
        WHEN at <= earliest_due + make_interval(days => grace_days) THEN 'overdue'
        ELSE 'suspended'
    END
$$;

-- Every customer has its account from its creation: active since then.
INSERT INTO billing_accounts (customer_id, organization_id, livemode, state_since)
SELECT id, organization_id, livemode, created_at FROM customers;

CREATE FUNCTION open_billing_account() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO billing_accounts (customer_id, organization_id, livemode, state_since)
    VALUES (NEW.id, NEW.organization_id, NEW.livemode, NEW.created_at);
    RETURN NULL;
END $$;

CREATE TRIGGER customers_open_billing_account
    AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION open_billing_account();
