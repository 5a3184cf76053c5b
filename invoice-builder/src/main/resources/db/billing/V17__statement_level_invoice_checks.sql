-- The invoice checks of V1, at a cost per statement or per invoice instead of per line, keeping what
-- they refuse (the billing cycle writes hundreds of lines per statement; V1 looked up each line's
-- invoice and summed all its invoice's lines again at commit, once per line).
--
-- 1. Lines of an invoice that is not a draft cannot be added, changed or removed, nor moved to
--    another invoice: checked once per statement over its transition tables.
-- 2. An invoice's total is the sum of its lines from the moment it leaves draft (checked then, once
--    per invoice), and stays so: neither its lines (1.) nor its total (invoices_immutable_once_finalized)
--    change afterwards. A draft's total is not checked: a draft is not owed, and its lines change.

DROP TRIGGER invoice_lines_immutable_once_finalized ON invoice_lines;
DROP FUNCTION refuse_finalized_line_change();
DROP TRIGGER invoice_lines_sum_to_total ON invoice_lines;
DROP FUNCTION check_line_invoice_total();
DROP TRIGGER invoices_total_is_sum_of_lines ON invoices;
DROP FUNCTION check_invoice_total();

CREATE FUNCTION refuse_lines_of_issued_invoices() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    issued record;
    moved text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT o.id INTO moved FROM old_lines o JOIN new_lines n ON n.id = o.id
            WHERE n.invoice_id <> o.invoice_id LIMIT 1;
        IF moved IS NOT NULL THEN
            RAISE EXCEPTION 'invoice line % cannot move to another invoice', moved
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    -- the invoices are locked first (FOR SHARE, in id order) until this transaction ends, so that a
    -- concurrent finalization waits for it and then counts these lines in its total (or refuses them),
    -- and one that came first is seen here once it commits; the lock is its own statement so that the
    -- status test below cannot be pushed under it (the draft rows would then not be locked)
    IF TG_OP = 'DELETE' THEN
        PERFORM FROM invoices WHERE id IN (SELECT invoice_id FROM old_lines) ORDER BY id FOR SHARE;
        SELECT id, status INTO issued FROM invoices
            WHERE id IN (SELECT invoice_id FROM old_lines) AND status <> 'draft' LIMIT 1;
    ELSE
        -- an update cannot move a line (above): its new invoice is its old one
        PERFORM FROM invoices WHERE id IN (SELECT invoice_id FROM new_lines) ORDER BY id FOR SHARE;
        SELECT id, status INTO issued FROM invoices
            WHERE id IN (SELECT invoice_id FROM new_lines) AND status <> 'draft' LIMIT 1;
    END IF;
    IF issued.id IS NOT NULL THEN
        RAISE EXCEPTION 'invoice % is %: its lines cannot be changed', issued.id, issued.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER invoice_lines_added_to_drafts_only
    AFTER INSERT ON invoice_lines REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_lines_of_issued_invoices();
CREATE TRIGGER invoice_lines_changed_in_drafts_only
    AFTER UPDATE ON invoice_lines REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_lines_of_issued_invoices();
CREATE TRIGGER invoice_lines_removed_from_drafts_only
    AFTER DELETE ON invoice_lines REFERENCING OLD TABLE AS old_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_lines_of_issued_invoices();

CREATE FUNCTION check_total_when_issued() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    actual bigint;
BEGIN
    IF NEW.status = 'draft' OR (TG_OP = 'UPDATE' AND OLD.status <> 'draft') THEN
        RETURN NEW;
    END IF;
    SELECT coalesce(sum(amount_minor), 0) INTO actual FROM invoice_lines WHERE invoice_id = NEW.id;
    IF NEW.total_minor <> actual THEN
        RAISE EXCEPTION 'invoice % total % differs from the sum of its lines %', NEW.id, NEW.total_minor, actual
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- BEFORE: it runs after invoices_immutable_once_finalized (triggers fire in name order), which has
-- already refused any change of an issued invoice but its payment
CREATE TRIGGER invoices_total_is_sum_of_lines_when_issued
    BEFORE INSERT OR UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION check_total_when_issued();
