-- A customer whose invoice could not be built when its period was closed (an amount too large for
-- the money type): the others were invoiced; closing the same period again retries this customer,
-- and the row goes once the customer is invoiced.
CREATE TABLE period_close_failures (
    billing_period_id    bigint      NOT NULL REFERENCES billing_periods (id),
    customer_external_id text        NOT NULL,
    code                 text        NOT NULL,
    message              text        NOT NULL,
    failed_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (billing_period_id, customer_external_id)
);
