-- What ingest does with an event whose feature has no active meter; published (OrganizationSettings)
-- to the compacted organizations topic through the outbox on create and on every change.
ALTER TABLE organizations
    ADD COLUMN unknown_feature text NOT NULL DEFAULT 'accept_as_sum'
        CHECK (unknown_feature IN ('accept_as_sum', 'reject')),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    -- When the settings were first put in the outbox. NULL only for organizations created before
    -- this migration: a start-up step enqueues theirs once and sets it in the same transaction.
    ADD COLUMN settings_enqueued_at timestamptz;
