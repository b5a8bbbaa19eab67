-- The API: OAuth applications ("API clients") registered in Settings → API, the bearer tokens they
-- obtain at /oauth/token, and a token bucket per client. Secrets and tokens are stored as keyed
-- hashes only. API invitations go through the import machinery (one `imports` row per call, keyed
-- for idempotency), so imports now say where they came from.

CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- public identifier, shown in Settings
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    callback_uri TEXT,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    -- token bucket: thousandths of a request, as of bucket_at
    bucket_milli BIGINT NOT NULL DEFAULT 0,
    bucket_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_clients_academy ON api_clients (academy_id, id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_client ON api_tokens (client_id);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);

-- csv | api
ALTER TABLE imports ADD COLUMN source TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE imports ADD COLUMN api_client_id BIGINT REFERENCES api_clients (id) ON DELETE SET NULL;
