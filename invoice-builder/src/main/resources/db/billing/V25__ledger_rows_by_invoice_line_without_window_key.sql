-- V21's index on (invoice_line_id, window_start, window_key) let PostgreSQL 18 answer "is this window billed
-- by another biller?" (the billing cycle's ledger read: SubscriptionInvoicingDao.usage, LedgerUsage.prefetch)
-- with a skip scan on its third column, one pass over every billed row per window. The planner chose it
-- whenever the ledger's statistics predate the billing (a month start: every row un-billed when last
-- analyzed, so the partial index looked empty), and the cycle's ledger read went from 3 ms to 165 ms per
-- batch of 100 subscriptions, growing with the billed rows. Without window_key the index cannot serve that
-- lookup, which stays on usage_ledger_window; lineage still reads a line's rows by window_start through it
-- (its rare ties, revisions of one window, are sorted on the fly).
DROP INDEX usage_ledger_invoice_line;
CREATE INDEX usage_ledger_invoice_line ON usage_ledger (invoice_line_id, window_start)
    WHERE invoice_line_id IS NOT NULL;
