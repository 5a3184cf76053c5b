-- Late usage as credit notes (issue 10, "Late usage that lowers an already invoiced period can produce a credit
-- note instead of a negative adjustment line, by organization setting").
--
-- 1. The organization's setting: false (the default) keeps a negative adjustment line on the next invoice.
-- 2. A credit note issued by billing for late usage names the invoice line whose usage it corrects
--    (corrects_line_id, a line of its own invoice) and the quantity it takes off that line's period
--    (corrected_quantity, 0 or more: a by-amount note may correct an amount only); both or neither, and only with
--    the reason usage_corrected. The billed amount of a period is then its lines less these notes
--    (dev.tally.billing.invoice.BilledUsageDao), so later restatements adjust from what the customer now owes.
--    A note of the billing cycle also records the planner key of the adjustment it replaces (see below).
-- 3. The ledger rows such a note billed: usage_ledger.credit_note_id, next to invoice_line_id (which stays the
--    billing mark: a row is billed once it is set, as before), which must then be the line the note corrects. The
--    lineage of that line shows which restatement the note credited; a replay of the line's own invoice leaves the
--    rows out (they came later).

ALTER TABLE organizations
    ADD COLUMN late_usage_credit_notes boolean NOT NULL DEFAULT false;

ALTER TABLE credit_notes
    ADD COLUMN corrects_line_id   text REFERENCES invoice_lines (id),
    ADD COLUMN corrected_quantity numeric(38, 9) CHECK (corrected_quantity >= 0),
    ADD CONSTRAINT credit_notes_correction_whole
        CHECK ((corrects_line_id IS NULL) = (corrected_quantity IS NULL)),
    ADD CONSTRAINT credit_notes_correction_is_usage_corrected
        CHECK (corrects_line_id IS NULL OR reason = 'usage_corrected');
CREATE INDEX credit_notes_correcting ON credit_notes (corrects_line_id) WHERE corrects_line_id IS NOT NULL;

-- A note of the billing cycle takes the place of an adjustment line of its subscription: the planner key that
-- adjustment would have had (adjustment|<usage key>|<revision>) and what the span then stands at (its whole usage
-- and events), read back as an invoiced line of that key. Once per corrected line and key: a second note for the
-- same revision is refused, whoever writes it.
ALTER TABLE credit_notes
    ADD COLUMN planned_key         text,
    ADD COLUMN planned_quantity    numeric(38, 9),
    ADD COLUMN planned_event_count bigint CHECK (planned_event_count >= 0),
    ADD CONSTRAINT credit_notes_planned_whole CHECK ((planned_key IS NULL) = (planned_quantity IS NULL)
        AND (planned_key IS NULL) = (planned_event_count IS NULL)),
    ADD CONSTRAINT credit_notes_planned_corrects CHECK (planned_key IS NULL OR corrects_line_id IS NOT NULL);
CREATE UNIQUE INDEX credit_notes_planned_once ON credit_notes (corrects_line_id, planned_key)
    WHERE planned_key IS NOT NULL;

-- The corrected line is of the note's invoice (invoice_lines has no tenant columns of its own, V27). A BEFORE
-- INSERT trigger as V29's; credit notes never change afterwards (V29), so inserting is the only way in.
CREATE FUNCTION refuse_correction_of_another_invoice() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.corrects_line_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM invoice_lines WHERE id = NEW.corrects_line_id AND invoice_id = NEW.invoice_id) THEN
        RAISE EXCEPTION 'credit note % corrects line %, which is not of its invoice %',
                NEW.id, NEW.corrects_line_id, NEW.invoice_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER credit_notes_correct_own_invoice
    BEFORE INSERT ON credit_notes
    FOR EACH ROW EXECUTE FUNCTION refuse_correction_of_another_invoice();

ALTER TABLE usage_ledger
    ADD COLUMN credit_note_id text REFERENCES credit_notes (id),
    ADD CONSTRAINT usage_ledger_credit_note_marks_billed
        CHECK (credit_note_id IS NULL OR invoice_line_id IS NOT NULL);
CREATE INDEX usage_ledger_credit_note ON usage_ledger (credit_note_id) WHERE credit_note_id IS NOT NULL;

-- A row billed by a credit note is marked with the line that note corrects (once per statement, as V27's tenant
-- check: the billing marks are written a statement per close).
CREATE FUNCTION refuse_ledger_credit_of_another_line() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    wrong bigint;
BEGIN
    SELECT n.id INTO wrong FROM new_rows n JOIN credit_notes cn ON cn.id = n.credit_note_id
        WHERE cn.corrects_line_id IS DISTINCT FROM n.invoice_line_id
        LIMIT 1;
    IF wrong IS NOT NULL THEN
        RAISE EXCEPTION 'ledger row % must be marked with the line its credit note corrects', wrong
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER usage_ledger_credited_by_correcting_note
    AFTER UPDATE ON usage_ledger REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_credit_of_another_line();
