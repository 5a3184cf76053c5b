-- A payment request is withdrawn when its invoice is voided (InvoiceEvent VOIDED): nothing is owed on it
-- any more, so a payment that still arrives with its memo is recorded as 'withdrawn' (the money is kept on
-- record, to refund) and settles nothing. An uncollectible invoice keeps its request open: a late payment
-- still pays it. A request already settled is never withdrawn.
ALTER TABLE payment_requests
    ADD COLUMN withdrawn_at timestamptz,
    ADD CONSTRAINT payment_requests_settled_or_withdrawn CHECK (settled_at IS NULL OR withdrawn_at IS NULL);

ALTER TABLE stellar_payments
    DROP CONSTRAINT stellar_payments_outcome_check,
    ADD CONSTRAINT stellar_payments_outcome_known CHECK (outcome IN
        ('settled', 'underpaid', 'wrong_asset', 'already_settled', 'unknown_memo', 'no_memo', 'withdrawn'));
