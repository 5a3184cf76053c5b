-- When each key was last used, as ingest-api reports it in batches on api-key-usage; never moves back.
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
