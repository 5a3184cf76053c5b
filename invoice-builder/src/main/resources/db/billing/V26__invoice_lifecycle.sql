-- The invoice lifecycle (issue 10), enforced here and not only by the Java above it:
--
--   draft ──▶ finalized (open) ──▶ paid
--                  │  ▲ late payment
--                  │  │
--                  ├──▶ uncollectible ──▶ paid | void
--                  └──▶ void
--
-- paid and void are final. A draft never goes straight to paid, void or uncollectible. Each transition
-- may change only its own columns (a payment: paid_at and who marked it paid out of band; a void: when and
-- why; an uncollectible: when and why), and an open invoice may be marked overdue once. Everything else is
-- refused with integrity_constraint_violation, as V1 did. Uncollectible -> void is allowed (as Stripe
-- allows it): writing off a debt and then cancelling the invoice (issued in error, replaced by another)
-- are both decisions finance takes after the fact; void stays final.
--
-- Due dates come from payment terms, a number of days after finalization: the organization's (30 by
-- default), or the customer's when it has its own. The database stores the days; the API names them
-- net_0 ... net_90 (dev.tally.billing.invoice.PaymentTerms, the one parser of the names).

ALTER TABLE organizations
    ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30
        CHECK (payment_terms_days IN (0, 15, 30, 45, 60, 90));

-- NULL: the organization's terms, read at each finalization (so changing the organization's terms moves
-- the due dates of the invoices finalized afterwards, never of those already issued)
ALTER TABLE customers
    ADD COLUMN payment_terms_days integer CHECK (payment_terms_days IN (0, 15, 30, 45, 60, 90));

ALTER TABLE invoices
    DROP CONSTRAINT invoices_status_check,
    ADD CONSTRAINT invoices_status_known
        CHECK (status IN ('draft', 'finalized', 'paid', 'void', 'uncollectible')),
    ADD COLUMN due_at               timestamptz,
    -- when the OVERDUE event was enqueued (once per invoice)
    ADD COLUMN overdue_notified_at  timestamptz,
    ADD COLUMN voided_at            timestamptz,
    ADD COLUMN void_reason          text,
    ADD COLUMN uncollectible_at     timestamptz,
    ADD COLUMN uncollectible_reason text,
    -- paid outside Stellar (a bank transfer, a cheque), marked by the API key paid_out_of_band_by names
    ADD COLUMN paid_out_of_band     boolean NOT NULL DEFAULT false,
    ADD COLUMN paid_out_of_band_by  text;

-- Invoices issued before this migration fall due under the default terms. The immutability trigger is
-- dropped for this update (it is recreated below, on INSERT too).
DROP TRIGGER invoices_immutable_once_finalized ON invoices;
UPDATE invoices i SET due_at = i.finalized_at + make_interval(days => o.payment_terms_days)
FROM organizations o WHERE o.id = i.organization_id AND i.status <> 'draft';

ALTER TABLE invoices
    ADD CONSTRAINT invoices_due_when_issued CHECK ((status = 'draft') = (due_at IS NULL)),
    ADD CONSTRAINT invoices_due_after_finalized CHECK (due_at >= finalized_at),
    ADD CONSTRAINT invoices_overdue_after_due CHECK (overdue_notified_at IS NULL OR overdue_notified_at >= due_at),
    ADD CONSTRAINT invoices_paid_at_only_when_paid CHECK (status = 'paid' OR paid_at IS NULL),
    -- money changes: a void and a write-off each carry their instant and a reason
    ADD CONSTRAINT invoices_void_with_reason CHECK ((status = 'void') = (voided_at IS NOT NULL)
        AND (voided_at IS NULL) = (void_reason IS NULL)),
    ADD CONSTRAINT invoices_void_reason_bounded CHECK (length(void_reason) BETWEEN 1 AND 500),
    -- an uncollectible invoice that is paid late or voided keeps when and why it was written off
    ADD CONSTRAINT invoices_uncollectible_with_reason CHECK ((uncollectible_at IS NULL) = (uncollectible_reason IS NULL)
        AND (status <> 'uncollectible' OR uncollectible_at IS NOT NULL)
        AND (uncollectible_at IS NULL OR status IN ('uncollectible', 'paid', 'void'))),
    ADD CONSTRAINT invoices_uncollectible_reason_bounded CHECK (length(uncollectible_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT invoices_out_of_band_by_whom CHECK (paid_out_of_band = (paid_out_of_band_by IS NOT NULL)
        AND (NOT paid_out_of_band OR status = 'paid'));

-- The overdue worker's claim: open invoices past due and not yet notified, by due date.
CREATE INDEX invoices_overdue_unnotified ON invoices (due_at)
    WHERE status = 'finalized' AND overdue_notified_at IS NULL;

-- Exactly the legal transitions, each changing only its own columns (V1's function, replaced).
CREATE OR REPLACE FUNCTION refuse_finalized_invoice_change() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    allowed text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- the period close and the cycle write drafts; older writers (and fixtures) insert finalized rows
        IF NEW.status IN ('draft', 'finalized') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'invoice % cannot be created %: an invoice starts as a draft', NEW.id, NEW.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'draft' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'invoice % is %: it cannot be changed or deleted', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'draft' THEN
        -- a draft changes freely, and leaves draft only by being finalized (V17 checks its total then)
        IF NEW.status IN ('draft', 'finalized') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'invoice % is a draft: it cannot be changed to % before it is finalized', OLD.id, NEW.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    allowed := CASE
        WHEN OLD.status = 'finalized' AND NEW.status = 'finalized' AND OLD.overdue_notified_at IS NULL
            THEN ARRAY['overdue_notified_at']
        WHEN OLD.status IN ('finalized', 'uncollectible') AND NEW.status = 'paid'
            THEN ARRAY['status', 'paid_at', 'paid_out_of_band', 'paid_out_of_band_by']
        WHEN OLD.status IN ('finalized', 'uncollectible') AND NEW.status = 'void'
            THEN ARRAY['status', 'voided_at', 'void_reason']
        WHEN OLD.status = 'finalized' AND NEW.status = 'uncollectible'
            THEN ARRAY['status', 'uncollectible_at', 'uncollectible_reason']
    END;
    IF allowed IS NOT NULL AND to_jsonb(NEW) - allowed = to_jsonb(OLD) - allowed THEN
        RETURN NEW;
    END IF;
    IF NEW.status = OLD.status THEN
        RAISE EXCEPTION 'invoice % is %: it cannot be changed', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION 'invoice % is %: it cannot be changed to % (or not with those columns)',
            OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER invoices_immutable_once_finalized
    BEFORE INSERT OR UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION refuse_finalized_invoice_change();

-- The due date is set as an invoice is issued, whoever issues it: finalized_at plus the customer's terms,
-- else its organization's. BEFORE, and named to fire before invoices_immutable_once_finalized (triggers
-- fire in name order), for which leaving draft may change any column.
CREATE FUNCTION set_due_date_when_issued() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.status <> 'draft' AND NEW.due_at IS NULL AND (TG_OP = 'INSERT' OR OLD.status = 'draft') THEN
        SELECT NEW.finalized_at + make_interval(days => coalesce(c.payment_terms_days, o.payment_terms_days))
        INTO NEW.due_at
        FROM customers c JOIN organizations o ON o.id = c.organization_id
        WHERE c.id = NEW.customer_id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER invoices_due_at_from_payment_terms
    BEFORE INSERT OR UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION set_due_date_when_issued();
