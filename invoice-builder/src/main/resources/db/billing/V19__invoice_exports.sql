-- The CSV exports read an organization's invoices of one mode created in a range, oldest first
-- (dev.tally.billing.export): this index returns them in that order without a sort, so an export of
-- millions of rows streams from its first row instead of sorting them all first.
CREATE INDEX invoices_created ON invoices (organization_id, livemode, created_at, id);
