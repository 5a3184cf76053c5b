-- Settlement schema: payment requests, the Stellar payments seen, the Horizon cursor (offsets and outbox: platform V0_1).

-- One request per invoice: what its payer must send, and whether it was settled.
CREATE TABLE payment_requests (
    invoice_id        text          PRIMARY KEY,
    organization_id   text          NOT NULL,
    livemode          boolean       NOT NULL,
    amount            numeric(25,7) NOT NULL CHECK (amount > 0),
    asset_code        text          NOT NULL,
    asset_issuer      text,
    destination       text          NOT NULL,
    memo              text          NOT NULL UNIQUE CHECK (octet_length(memo) BETWEEN 1 AND 28),
    pay_uri           text          NOT NULL,
    requested_at      timestamptz   NOT NULL,
    settled_at        timestamptz,
    settled_tx_hash   text,
    settled_operation bigint,
    CHECK ((settled_at IS NULL) = (settled_tx_hash IS NULL) AND (settled_at IS NULL) = (settled_operation IS NULL))
);

-- Finalized invoices that cannot be asked for on Stellar (unknown currency, amount out of range):
-- kept with the reason, never dropped silently.
CREATE TABLE unpayable_invoices (
    invoice_id      text        PRIMARY KEY,
    organization_id text        NOT NULL,
    reason          text        NOT NULL,
    received_at     timestamptz NOT NULL
);

-- Every value transfer the receiving account got, recorded once per Stellar operation.
CREATE TABLE stellar_payments (
    transaction_hash text          NOT NULL,
    operation_id     bigint        NOT NULL,
    paging_token     text          NOT NULL,
    source_account   text          NOT NULL,
    destination      text          NOT NULL,
    amount           numeric(25,7) NOT NULL CHECK (amount > 0),
    asset_code       text          NOT NULL,
    asset_issuer     text,
    memo             text,
    outcome          text          NOT NULL CHECK (outcome IN
                         ('settled', 'underpaid', 'wrong_asset', 'already_settled', 'unknown_memo', 'no_memo')),
    invoice_id       text          REFERENCES payment_requests (invoice_id),
    ledger_closed_at timestamptz   NOT NULL,
    recorded_at      timestamptz   NOT NULL,
    PRIMARY KEY (transaction_hash, operation_id)
);
CREATE INDEX stellar_payments_invoice ON stellar_payments (invoice_id) WHERE invoice_id IS NOT NULL;
-- At most one payment settles an invoice.
CREATE UNIQUE INDEX stellar_payments_one_settlement ON stellar_payments (invoice_id) WHERE outcome = 'settled';

-- Where the watcher is in each watched account's payments (Horizon paging token).
CREATE TABLE horizon_cursors (
    account      text        PRIMARY KEY,
    paging_token text        NOT NULL,
    updated_at   timestamptz NOT NULL
);
