-- Entitlements (issue 11): may this customer use this feature right now? One per customer and feature, of one of
-- three types:
--   metered  a usage limit per period (day, week or month, calendar periods in the customer's time zone), hard
--            (no access once the period's usage reaches it) or soft (access, with the overage shown);
--   boolean  on or off;
--   static   a configuration value (a JSON object) the app reads.
-- The columns of the other types stay null, so a row cannot say two things at once.
CREATE TABLE entitlements (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL,
    livemode        boolean     NOT NULL,
    customer_id     text        NOT NULL,
    feature_key     text        NOT NULL,
    type            text        NOT NULL
        CONSTRAINT entitlements_type_known CHECK (type IN ('metered', 'boolean', 'static')),
    usage_limit     numeric,
    usage_period    text
        CONSTRAINT entitlements_usage_period_known CHECK (usage_period IN ('day', 'week', 'month')),
    hard_limit      boolean,
    enabled         boolean,
    config          jsonb
        CONSTRAINT entitlements_config_object CHECK (jsonb_typeof(config) = 'object'),
    created_at      timestamptz NOT NULL,
    CONSTRAINT entitlements_one_per_feature UNIQUE (customer_id, feature_key),
    CONSTRAINT entitlements_metered_columns CHECK ((type = 'metered') = (usage_limit IS NOT NULL)
        AND (type = 'metered') = (usage_period IS NOT NULL) AND (type = 'metered') = (hard_limit IS NOT NULL)),
    CONSTRAINT entitlements_limit_not_negative CHECK (usage_limit >= 0),
    CONSTRAINT entitlements_boolean_columns CHECK ((type = 'boolean') = (enabled IS NOT NULL)),
    CONSTRAINT entitlements_static_columns CHECK ((type = 'static') = (config IS NOT NULL)),
    FOREIGN KEY (organization_id, livemode, customer_id) REFERENCES customers (organization_id, livemode, id)
);
