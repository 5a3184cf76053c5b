-- Subscriptions with items (the facts of dev.tally.billing.cycle.SubscriptionFacts): a subscription has
-- one currency and one interval shared by all its items' prices, a start, an optional billing anchor,
-- trial and cancellation, and the time zone its periods follow (its customer's at creation: changing
-- the customer's zone later never moves them). Its items are a history of changes (cycle.ItemChange):
-- adding, upgrading, downgrading, changing the quantity and removing are all rows, never updates, so
-- the invoice planner can prorate from the history. Every instant falls on a whole second.
ALTER TABLE subscriptions
    ADD COLUMN currency             text,
    ADD COLUMN interval             text,
    ADD COLUMN interval_count       integer,
    ADD COLUMN start_at             timestamptz,
    ADD COLUMN billing_anchor       timestamptz,
    ADD COLUMN trial_end            timestamptz,
    -- when the subscription ends (the cancellation's effective instant: at period end, the end of the
    -- period in which it was asked), NULL while not cancelled
    ADD COLUMN cancel_at            timestamptz,
    ADD COLUMN cancel_at_period_end boolean     NOT NULL DEFAULT false,
    -- when the cancellation was asked (cycle.Cancellation's instant for a cancel at period end)
    ADD COLUMN canceled_at          timestamptz,
    ADD COLUMN time_zone            text,
    -- 1 at creation, +1 on every change: a change with If-Match: <version> applies only to that one
    ADD COLUMN version              bigint      NOT NULL DEFAULT 1 CHECK (version >= 1);

CREATE TABLE subscription_item_changes (
    -- the order in which changes were recorded (ties between subscriptions at one instant)
    sequence        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id text        NOT NULL REFERENCES subscriptions (id),
    item_id         text        NOT NULL,
    at              timestamptz NOT NULL CHECK (at = date_trunc('second', at)),
    -- NULL: the item is removed from at on
    price_id        text        REFERENCES prices (id),
    quantity        bigint      NOT NULL CHECK (quantity >= 0),
    -- an item changes at most once per instant (a second change in the same second replaces the first)
    UNIQUE (subscription_id, item_id, at),
    CHECK (price_id IS NOT NULL OR quantity = 0)
);

-- Existing subscriptions (one per_unit price each): one item at that price, quantity 1, from creation,
-- in the price's currency and interval (month/1 when the price has none) and the customer's zone.
UPDATE subscriptions s
SET currency = rtrim(p.currency),
    interval = coalesce(p.definition ->> 'interval', 'month'),
    interval_count = coalesce((p.definition ->> 'intervalCount')::integer, 1),
    start_at = date_trunc('second', s.created_at),
    time_zone = c.time_zone
FROM prices p, customers c
WHERE p.id = s.price_id AND c.id = s.customer_id;

INSERT INTO subscription_item_changes (subscription_id, item_id, at, price_id, quantity)
SELECT id, 'si_' || substr(md5(id), 1, 20), start_at, price_id, 1
FROM subscriptions
ORDER BY created_at, id;

-- The rule "a feature is rated by at most one price per customer at any instant" now spans time and
-- items, which a unique constraint cannot say: the API checks it with the customer's row locked.
ALTER TABLE subscriptions
    DROP COLUMN price_id,
    DROP COLUMN product_id,
    ALTER COLUMN currency SET NOT NULL,
    ALTER COLUMN interval SET NOT NULL,
    ALTER COLUMN interval_count SET NOT NULL,
    ALTER COLUMN start_at SET NOT NULL,
    ALTER COLUMN time_zone SET NOT NULL,
    ADD CONSTRAINT subscriptions_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT subscriptions_interval_known CHECK (interval IN ('day', 'week', 'month', 'year')),
    ADD CONSTRAINT subscriptions_interval_count_positive CHECK (interval_count >= 1),
    ADD CONSTRAINT subscriptions_whole_seconds CHECK (
        start_at = date_trunc('second', start_at)
        AND (billing_anchor IS NULL OR billing_anchor = date_trunc('second', billing_anchor))
        AND (trial_end IS NULL OR trial_end = date_trunc('second', trial_end))
        AND (cancel_at IS NULL OR cancel_at = date_trunc('second', cancel_at))),
    ADD CONSTRAINT subscriptions_trial_after_start CHECK (trial_end IS NULL OR trial_end > start_at),
    ADD CONSTRAINT subscriptions_cancel_asked CHECK ((cancel_at IS NULL) = (canceled_at IS NULL)),
    ADD CONSTRAINT subscriptions_cancel_after_start CHECK (cancel_at IS NULL OR cancel_at >= start_at),
    ADD CONSTRAINT subscriptions_period_end_cancel CHECK (NOT cancel_at_period_end OR cancel_at IS NOT NULL),
    ADD CONSTRAINT subscriptions_time_zone_length CHECK (length(time_zone) BETWEEN 1 AND 64);

CREATE INDEX subscriptions_page ON subscriptions (organization_id, livemode, created_at, id);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);
