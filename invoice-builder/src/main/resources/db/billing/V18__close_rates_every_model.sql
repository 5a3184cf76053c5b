-- The period close rates every price model with the billing cycle's rater (PriceRater): a usage line
-- of a graduated, volume, package or percentage price has no single unit amount, so the close's lines
-- no longer all need one; only credit lines (quantity 1 at their amount) do, of both billers. The
-- close's usage lines and adjustments now record the events behind their usage in event_count, as
-- the cycle's lines do (lines written before keep NULL there).
ALTER TABLE invoice_lines
    DROP CONSTRAINT invoice_lines_close_lines_unit_amount,
    ADD CONSTRAINT invoice_lines_credit_unit_amount
        CHECK (kind NOT IN ('credit_carried_forward', 'credit_applied') OR unit_amount IS NOT NULL);
