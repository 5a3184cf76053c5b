-- Usage aggregates are whole-window statements with revisions (a restatement replaces the window,
-- it is no longer a delta), merged into a period by their aggregation. Invoices gain adjustment
-- lines (a restated window of an invoiced period) and credit lines (a total never goes negative).

ALTER TABLE usage_ledger
    -- Keys.window(org, mode, customer, feature, windowStart): all revisions of one window share it
    ADD COLUMN window_key text,
    ADD COLUMN aggregation text NOT NULL DEFAULT 'sum'
        CHECK (aggregation IN ('sum', 'count', 'min', 'max', 'latest', 'unique_count')),
    ADD COLUMN revision bigint NOT NULL DEFAULT 0 CHECK (revision >= 0),
    ADD COLUMN latest_at timestamptz,
    ADD COLUMN distinct_values text[] NOT NULL DEFAULT '{}';

-- Filling the key of existing rows is not a change of what they billed: lift the guard for it.
ALTER TABLE usage_ledger DISABLE TRIGGER usage_ledger_immutable_once_billed;
-- Old-style corrections ("correction|org|eventId") were additive deltas of one event: each keeps
-- its own key, so it stays a separate SUM statement and adds up exactly as it did when recorded.
UPDATE usage_ledger SET window_key = CASE
    WHEN kind = 'correction' AND aggregate_id LIKE 'correction|%' THEN aggregate_id
    ELSE organization_id || '|' || CASE WHEN livemode THEN 'live' ELSE 'test' END || '|' || customer
        || '|' || feature || '|' || (extract(epoch FROM window_start) * 1000)::bigint
    END;
ALTER TABLE usage_ledger ENABLE TRIGGER usage_ledger_immutable_once_billed;
ALTER TABLE usage_ledger ALTER COLUMN window_key SET NOT NULL;
CREATE INDEX usage_ledger_window ON usage_ledger (organization_id, livemode, window_key);

ALTER TABLE invoice_lines
    ADD COLUMN kind text NOT NULL DEFAULT 'usage'
        CHECK (kind IN ('usage', 'adjustment', 'credit_carried_forward', 'credit_applied')),
    -- The period whose usage the line bills (an adjustment: the earlier period it restates);
    -- NULL on lines written before this migration, which bill their invoice's period.
    ADD COLUMN usage_start timestamptz,
    ADD COLUMN usage_end timestamptz,
    -- Adjustments: the quantity billed for that period before this line (the line adds the rest).
    ADD COLUMN previous_quantity numeric(38, 9),
    ALTER COLUMN price_id DROP NOT NULL,
    ALTER COLUMN feature_key DROP NOT NULL;
ALTER TABLE invoice_lines
    ADD CONSTRAINT invoice_lines_priced_kinds
        CHECK ((kind IN ('usage', 'adjustment')) = (price_id IS NOT NULL AND feature_key IS NOT NULL)),
    ADD CONSTRAINT invoice_lines_adjustment_names_its_period
        CHECK (kind <> 'adjustment'
            OR (usage_start IS NOT NULL AND usage_end IS NOT NULL AND previous_quantity IS NOT NULL)),
    ADD CONSTRAINT invoice_lines_credit_signs
        CHECK ((kind <> 'credit_carried_forward' OR amount_minor > 0)
            AND (kind <> 'credit_applied' OR amount_minor < 0));

-- A retraction may make an invoice's lines add up below zero: the credit is carried forward by a
-- line instead, so no invoice ever asks for a negative amount.
ALTER TABLE invoices ADD CONSTRAINT invoices_total_not_negative CHECK (total_minor >= 0);
