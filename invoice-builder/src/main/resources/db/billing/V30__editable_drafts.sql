-- Editable drafts and their automatic finalization (issue 10, "Drafts are editable ... until they finalize;
-- they finalize automatically after a configurable delay (Stripe: 1 hour) or by a call").
--
-- 1. An organization's delay between a draft of the billing cycle being written and its finalization, in
--    seconds: 0 (finalized at once, as before) to 30 days; one hour by default, as Stripe does. The API
--    names it as an ISO-8601 duration (dev.tally.billing.invoice.AutoFinalizeDelay, the one parser).
-- 2. An invoice carries a memo and a footer (shown on its document) and, while it is a draft, the instant
--    the draft finalization worker finalizes it (NULL: only by a call). V26's trigger lets a draft change
--    freely and refuses any change once issued, so these are frozen at finalization like everything else.
-- 3. One-off lines: a line a person adds to a draft (a setup fee, a consulting day), with its own
--    description, quantity and unit amount, no price and no span. V17/V28's statement triggers already
--    refuse adding or removing lines of an invoice that is not a draft, whatever the kind.

ALTER TABLE organizations
    ADD COLUMN auto_finalize_delay_seconds integer NOT NULL DEFAULT 3600
        CONSTRAINT organizations_auto_finalize_delay_bounded
            CHECK (auto_finalize_delay_seconds BETWEEN 0 AND 2592000);

ALTER TABLE invoices
    ADD COLUMN memo             text CONSTRAINT invoices_memo_bounded CHECK (length(memo) BETWEEN 1 AND 2000),
    ADD COLUMN footer           text CONSTRAINT invoices_footer_bounded CHECK (length(footer) BETWEEN 1 AND 2000),
    -- by the billing clock (which tests and replays move), so not checked against created_at (the wall clock)
    ADD COLUMN auto_finalize_at timestamptz;

-- The draft finalization worker's claim: drafts whose instant has come, earliest first.
CREATE INDEX invoices_drafts_to_finalize ON invoices (auto_finalize_at)
    WHERE status = 'draft' AND auto_finalize_at IS NOT NULL;

ALTER TABLE invoice_lines
    DROP CONSTRAINT invoice_lines_kind_known,
    DROP CONSTRAINT invoice_lines_priced_kinds;
ALTER TABLE invoice_lines
    ADD CONSTRAINT invoice_lines_kind_known CHECK (kind IN ('usage', 'adjustment', 'credit_carried_forward',
        'credit_applied', 'flat_fee', 'proration_credit', 'proration_charge', 'cancellation_credit', 'one_off')),
    -- V14's rule, with one-off lines unpriced like the credits: credits and one-offs have no price, every
    -- other line has one; usage has a feature, flat fees none; the close's adjustments are of usage
    ADD CONSTRAINT invoice_lines_priced_kinds
        CHECK ((kind IN ('credit_carried_forward', 'credit_applied', 'one_off')) = (price_id IS NULL)
            AND (kind <> 'usage' OR feature_key IS NOT NULL)
            AND (kind NOT IN ('flat_fee', 'proration_credit', 'proration_charge', 'cancellation_credit')
                OR feature_key IS NULL)
            AND (kind <> 'adjustment' OR subscription_id IS NOT NULL OR feature_key IS NOT NULL)
            AND (kind IN ('usage', 'adjustment') OR subscription_id IS NOT NULL OR feature_key IS NULL)),
    -- a one-off line says what it bills, a positive quantity and a unit amount, and belongs to no
    -- subscription, feature or span (the verifier reproduces it from these alone)
    ADD CONSTRAINT invoice_lines_one_off_complete CHECK (kind <> 'one_off'
        OR (description IS NOT NULL AND length(description) BETWEEN 1 AND 500 AND quantity > 0 AND unit_amount IS NOT NULL
            AND subscription_id IS NULL AND usage_start IS NULL AND usage_end IS NULL
            AND previous_quantity IS NULL AND event_count IS NULL));
