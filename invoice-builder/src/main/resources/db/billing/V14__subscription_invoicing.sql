-- The billing cycle runs by itself: the cycle worker plans each subscription when it is due
-- (dev.tally.billing.invoicing) and writes its lines, each once, on an invoice of that subscription.

-- When the subscription should be planned next (the planner's next due instant, or the instant of a
-- change that may have made something due); NULL: nothing will be due unless it changes. Existing
-- subscriptions are planned from their start: their usage that the period close has not billed is
-- billed by the cycle from now on (what the close billed stays billed, once).
ALTER TABLE subscriptions ADD COLUMN next_plan_at timestamptz;
UPDATE subscriptions SET next_plan_at = start_at;
CREATE INDEX subscriptions_next_plan_at ON subscriptions (next_plan_at) WHERE next_plan_at IS NOT NULL;

-- An invoice is of a closed billing period (the period close) or of one subscription (the cycle).
ALTER TABLE invoices
    ALTER COLUMN billing_period_id DROP NOT NULL,
    ADD COLUMN subscription_id text REFERENCES subscriptions (id),
    ADD CONSTRAINT invoices_of_a_period_or_a_subscription
        CHECK ((billing_period_id IS NULL) <> (subscription_id IS NULL));
CREATE INDEX invoices_subscription ON invoices (subscription_id) WHERE subscription_id IS NOT NULL;

-- A line of a subscription carries the planner's key (UNIQUE per subscription: no line is ever written
-- twice, whatever instances race), its item, the events behind its usage and its description; its
-- span is usage_start/usage_end for every kind. An adjustment's quantity is the difference and
-- previous_quantity what the key stood at before, as for the close's adjustments. A flat fee has no
-- feature; usage has no single unit amount (tiers), so unit_amount is only required of the close's
-- lines. line_number keeps the order in which the lines were written.
ALTER TABLE invoice_lines
    ADD COLUMN subscription_id text REFERENCES subscriptions (id),
    ADD COLUMN line_key        text,
    ADD COLUMN item_id         text,
    ADD COLUMN event_count     bigint CHECK (event_count >= 0),
    ADD COLUMN description     text,
    ADD COLUMN line_number     integer,
    ALTER COLUMN unit_amount DROP NOT NULL,
    DROP CONSTRAINT invoice_lines_kind_check,
    DROP CONSTRAINT invoice_lines_priced_kinds;
ALTER TABLE invoice_lines
    ADD CONSTRAINT invoice_lines_kind_known CHECK (kind IN ('usage', 'adjustment', 'credit_carried_forward',
        'credit_applied', 'flat_fee', 'proration_credit', 'proration_charge', 'cancellation_credit')),
    -- also the index of a subscription's lines
    ADD CONSTRAINT invoice_lines_key_once UNIQUE (subscription_id, line_key),
    ADD CONSTRAINT invoice_lines_keyed_by_subscription CHECK ((subscription_id IS NULL) = (line_key IS NULL)),
    ADD CONSTRAINT invoice_lines_subscription_line_complete CHECK (subscription_id IS NULL
        OR (item_id IS NOT NULL AND event_count IS NOT NULL AND description IS NOT NULL
            AND usage_start IS NOT NULL AND usage_end IS NOT NULL)),
    ADD CONSTRAINT invoice_lines_flat_kinds_of_subscriptions CHECK (subscription_id IS NOT NULL
        OR kind NOT IN ('flat_fee', 'proration_credit', 'proration_charge', 'cancellation_credit')),
    ADD CONSTRAINT invoice_lines_close_lines_unit_amount CHECK (subscription_id IS NOT NULL OR unit_amount IS NOT NULL),
    -- credits have no price, every other line has one; usage has a feature, flat fees none; the close's
    -- adjustments are of usage
    ADD CONSTRAINT invoice_lines_priced_kinds
        CHECK ((kind IN ('credit_carried_forward', 'credit_applied')) = (price_id IS NULL)
            AND (kind <> 'usage' OR feature_key IS NOT NULL)
            AND (kind NOT IN ('flat_fee', 'proration_credit', 'proration_charge', 'cancellation_credit')
                OR feature_key IS NULL)
            AND (kind <> 'adjustment' OR subscription_id IS NOT NULL OR feature_key IS NOT NULL)
            AND (kind IN ('usage', 'adjustment') OR subscription_id IS NOT NULL OR feature_key IS NULL));
