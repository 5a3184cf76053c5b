-- The billing cycle claims due subscriptions in (next_plan_at, id) order, a batch at a time: with the
-- index on next_plan_at alone, many subscriptions due at the same instant (every period starts at
-- midnight) were sorted again at each claim; this index returns them in claim order.
CREATE INDEX subscriptions_due ON subscriptions (next_plan_at, id) WHERE next_plan_at IS NOT NULL;
DROP INDEX subscriptions_next_plan_at;
