-- Invoice numbers are taken at finalization from a counter in a row of its own, so that the billing
-- cycle's batches of one organization no longer wait on each other from their start: a batch holds
-- its organizations' rows FOR SHARE (which excludes only a period close, FOR UPDATE), writes its drafts
-- and lines without numbers, and locks the counter for the last statements of its transaction only.
-- Numbers stay gapless: a counter moves only in the transaction that numbers invoices with it.

CREATE TABLE invoice_counters (
    organization_id text   PRIMARY KEY REFERENCES organizations (id),
    next_number     bigint NOT NULL DEFAULT 1 CHECK (next_number >= 1)
);
INSERT INTO invoice_counters (organization_id, next_number)
    SELECT id, next_invoice_number FROM organizations;
ALTER TABLE organizations DROP COLUMN next_invoice_number;

-- every organization has its counter, whoever creates the organization
CREATE FUNCTION create_invoice_counter() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO invoice_counters (organization_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_have_an_invoice_counter
    AFTER INSERT ON organizations
    FOR EACH ROW EXECUTE FUNCTION create_invoice_counter();

-- a draft has no number yet; an issued invoice always has one
ALTER TABLE invoices
    ALTER COLUMN number DROP NOT NULL,
    ADD CONSTRAINT invoices_numbered_when_issued CHECK (status = 'draft' OR number IS NOT NULL);
