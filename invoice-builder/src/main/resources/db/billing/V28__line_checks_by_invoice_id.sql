-- The billing cycle at 100,000 subscriptions (BENCHMARKS.md, "Billing cycle") spent most of its time in two
-- reads whose plans grew with the invoice tables: each batch's statements scanned every invoice or every
-- line written before them, so a cycle's cost grew with the square of its size.
--
-- 1. V17's check of the invoices whose lines a statement writes looked them up with
--    `WHERE id IN (SELECT invoice_id FROM <transition table>)`, twice (a lock, then the status test), a
--    join the planner could run as a scan of all invoices (plpgsql caches one generic plan; the invoices
--    written by the running cycle are not in the statistics yet). The invoices are now looked up by their
--    primary key from an array of the statement's distinct invoice ids, locked and tested in one read:
--    the status is tested in plpgsql on the row FOR SHARE returned, which is the latest committed version
--    once the lock is held, so a concurrent finalization still either waits for these lines or is seen.
--
-- 2. The customers' credit balances (the sum of their credit lines) were read through the kind filter of
--    all lines. Credit lines are few: a partial index holds just them, so the read is as large as the
--    credit it finds.

CREATE OR REPLACE FUNCTION refuse_lines_of_issued_invoices() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    touched text[];
    moved text;
    invoice record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT o.id INTO moved FROM old_lines o JOIN new_lines n ON n.id = o.id
            WHERE n.invoice_id <> o.invoice_id LIMIT 1;
        IF moved IS NOT NULL THEN
            RAISE EXCEPTION 'invoice line % cannot move to another invoice', moved
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        touched := ARRAY(SELECT DISTINCT invoice_id FROM old_lines);
    ELSE
        -- an update cannot move a line (above): its new invoice is its old one
        touched := ARRAY(SELECT DISTINCT invoice_id FROM new_lines);
    END IF;
    -- locked in id order (two statements never wait for each other crosswise) until this transaction
    -- ends; the status is tested here and not in the query, so that every invoice is locked, drafts too
    FOR invoice IN SELECT id, status FROM invoices WHERE id = ANY (touched) ORDER BY id FOR SHARE LOOP
        IF invoice.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is %: its lines cannot be changed', invoice.id, invoice.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE INDEX invoice_lines_credit ON invoice_lines (invoice_id)
    WHERE kind IN ('credit_carried_forward', 'credit_applied');
