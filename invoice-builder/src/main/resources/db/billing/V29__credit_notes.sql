-- Credit notes (issue 10): a credit note lowers what an issued invoice asks for, whole, by line and quantity, or
-- by amount, for a reason, with an outcome for the part the customer already paid (credit to the customer's
-- balance, or a refund request). Its own gapless numbers per organization and mode (ACME-CN-2026-000001,
-- ACME-TEST-CN-2026-000001). Enforced here, whoever writes: only an open (finalized), paid or uncollectible
-- invoice takes one, the credit notes of an invoice never add up above its total, a line is never credited
-- beyond its own quantity or amount, the tenant of a credit note is its invoice's, and an issued credit note
-- never changes.

-- 1. One counter per organization and mode, locked by whoever numbers a credit note until its transaction ends
-- (as invoice_counters, V20/V27: a rolled-back issue gives its number back). Apart from the invoice counters so
-- that issuing a credit note never waits on the billing cycle's finalizations.
CREATE TABLE credit_note_counters (
    organization_id text    NOT NULL REFERENCES organizations (id),
    livemode        boolean NOT NULL,
    next_number     bigint  NOT NULL DEFAULT 1 CHECK (next_number >= 1),
    PRIMARY KEY (organization_id, livemode)
);
INSERT INTO credit_note_counters (organization_id, livemode)
    SELECT id, mode FROM organizations CROSS JOIN (VALUES (false), (true)) AS m(mode);

CREATE FUNCTION create_credit_note_counters() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO credit_note_counters (organization_id, livemode) VALUES (NEW.id, false), (NEW.id, true);
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_have_credit_note_counters
    AFTER INSERT ON organizations
    FOR EACH ROW EXECUTE FUNCTION create_credit_note_counters();

-- 2. The credit notes. Tenant-composite keys as V27's: a credit note cannot name another tenant's invoice or
-- customer. amount_minor = pre_payment_minor + post_payment_minor: the pre-payment part lowers what is still due
-- on the invoice, the post-payment part (of what was already paid) goes to the outcome.
ALTER TABLE invoices ADD CONSTRAINT invoices_tenant_id UNIQUE (organization_id, livemode, id);

CREATE TABLE credit_notes (
    id                 text        PRIMARY KEY,
    number             text        NOT NULL,
    sequence           bigint      NOT NULL CHECK (sequence >= 1),
    organization_id    text        NOT NULL,
    livemode           boolean     NOT NULL,
    invoice_id         text        NOT NULL,
    customer_id        text        NOT NULL,
    currency           char(3)     NOT NULL,
    reason             text        NOT NULL CHECK (reason IN
                           ('duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory', 'usage_corrected')),
    outcome            text        NOT NULL CHECK (outcome IN ('credit', 'refund')),
    memo               text        CHECK (length(memo) BETWEEN 1 AND 500),
    amount_minor       bigint      NOT NULL CHECK (amount_minor > 0),
    pre_payment_minor  bigint      NOT NULL CHECK (pre_payment_minor >= 0),
    post_payment_minor bigint      NOT NULL CHECK (post_payment_minor >= 0),
    issued_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credit_notes_parts_add_up CHECK (pre_payment_minor + post_payment_minor = amount_minor),
    CONSTRAINT credit_notes_number_once_per_mode UNIQUE (organization_id, livemode, number),
    CONSTRAINT credit_notes_sequence_once_per_mode UNIQUE (organization_id, livemode, sequence),
    CONSTRAINT credit_notes_invoice_of_tenant FOREIGN KEY (organization_id, livemode, invoice_id)
        REFERENCES invoices (organization_id, livemode, id),
    CONSTRAINT credit_notes_customer_of_tenant FOREIGN KEY (organization_id, livemode, customer_id)
        REFERENCES customers (organization_id, livemode, id)
);
CREATE INDEX credit_notes_of_invoice ON credit_notes (invoice_id, issued_at, id);
CREATE INDEX credit_notes_listed ON credit_notes (organization_id, livemode, issued_at DESC, sequence DESC);
CREATE INDEX credit_notes_of_customer ON credit_notes (customer_id, currency) WHERE outcome = 'credit';

-- A line credited: quantity of it, at amount_minor. Its invoice line is of the credit note's invoice (checked
-- below: invoice_lines carries no tenant columns of its own, V27).
CREATE TABLE credit_note_lines (
    credit_note_id  text           NOT NULL REFERENCES credit_notes (id),
    position        int            NOT NULL CHECK (position >= 0),
    invoice_line_id text           NOT NULL REFERENCES invoice_lines (id),
    quantity        numeric(38, 9) NOT NULL CHECK (quantity > 0),
    amount_minor    bigint         NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (credit_note_id, position)
);
CREATE INDEX credit_note_lines_of_line ON credit_note_lines (invoice_line_id);

-- 3. Only an issued invoice (open, paid or uncollectible; not a draft, not void) takes a credit note, of its own
-- customer and currency, and its credit notes never add up above its total (what was paid or is due). The
-- invoice is locked, so concurrent credit notes of one invoice are checked one after the other.
CREATE FUNCTION refuse_credit_note_beyond_invoice() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    invoice record;
    credited bigint;
BEGIN
    SELECT status, total_minor, customer_id, currency INTO invoice FROM invoices WHERE id = NEW.invoice_id FOR UPDATE;
    IF invoice.status NOT IN ('finalized', 'paid', 'uncollectible') THEN
        RAISE EXCEPTION 'invoice % is %: only an open, paid or uncollectible invoice takes a credit note',
                NEW.invoice_id, invoice.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF invoice.customer_id <> NEW.customer_id OR invoice.currency <> NEW.currency THEN
        RAISE EXCEPTION 'credit note % must be of its invoice''s customer and currency', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT coalesce(sum(amount_minor), 0) INTO credited FROM credit_notes WHERE invoice_id = NEW.invoice_id;
    IF credited + NEW.amount_minor > invoice.total_minor THEN
        RAISE EXCEPTION 'credit notes of invoice % would add up to %, above its total %',
                NEW.invoice_id, credited + NEW.amount_minor, invoice.total_minor
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER credit_notes_within_invoice
    BEFORE INSERT ON credit_notes
    FOR EACH ROW EXECUTE FUNCTION refuse_credit_note_beyond_invoice();

-- A credited line is of the credit note's invoice, and is never credited beyond its own quantity or amount.
CREATE FUNCTION refuse_credit_note_line_beyond_line() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    line record;
    credited record;
BEGIN
    SELECT il.invoice_id, il.quantity, il.amount_minor, cn.invoice_id AS note_invoice INTO line
        FROM invoice_lines il, credit_notes cn WHERE il.id = NEW.invoice_line_id AND cn.id = NEW.credit_note_id;
    IF line.invoice_id <> line.note_invoice THEN
        RAISE EXCEPTION 'invoice line % is not of the invoice of credit note %', NEW.invoice_line_id, NEW.credit_note_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT coalesce(sum(quantity), 0) AS quantity, coalesce(sum(amount_minor), 0) AS amount_minor INTO credited
        FROM credit_note_lines WHERE invoice_line_id = NEW.invoice_line_id;
    IF credited.quantity + NEW.quantity > line.quantity OR credited.amount_minor + NEW.amount_minor > line.amount_minor THEN
        RAISE EXCEPTION 'invoice line % would be credited beyond its quantity % or amount %',
                NEW.invoice_line_id, line.quantity, line.amount_minor
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER credit_note_lines_within_line
    BEFORE INSERT ON credit_note_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_credit_note_line_beyond_line();

-- 4. An issued credit note is a fact: it and its lines never change (V27's function).
CREATE TRIGGER credit_notes_immutable
    BEFORE UPDATE OR DELETE ON credit_notes
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
CREATE TRIGGER credit_note_lines_immutable
    BEFORE UPDATE OR DELETE ON credit_note_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record();
