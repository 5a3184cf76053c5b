-- Lineage reads the ledger by the line that billed it (GET /v1/invoices/{id}/lines/{line}/usage: a line's
-- windows in order, a page at a time; POST /v1/invoices/{id}/verify: the rows each line billed). The
-- reference had no index, so each read scanned the ledger. Partial: un-billed rows are never read this way.
CREATE INDEX usage_ledger_invoice_line ON usage_ledger (invoice_line_id, window_start, window_key)
    WHERE invoice_line_id IS NOT NULL;
