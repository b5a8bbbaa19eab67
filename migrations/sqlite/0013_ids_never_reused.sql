-- no-transaction
-- SQLite ids are never reused: every table whose ids end up in the audit log, in links or in
-- other tables gets AUTOINCREMENT. A plain INTEGER PRIMARY KEY hands out max(id) + 1, so deleting
-- the newest user and adding another gave the new person the removed one's id, and the audit log
-- showed them as the actor of what the removed person did. (PostgreSQL identity columns never
-- reuse a value: its migration of this number changes nothing.)
--
-- SQLite cannot add AUTOINCREMENT to a table, so each is rebuilt (sqlite.org/lang_altertable.html,
-- "other kinds of table schema changes"): a new table with the same columns in the same order,
-- the rows copied (SELECT *: a column count that differs fails loudly instead of dropping data),
-- the old table dropped, the new one renamed, its indexes made again. Foreign keys are switched
-- off meanwhile, which SQLite allows only outside a transaction (hence `no-transaction` above and
-- the explicit BEGIN/COMMIT): otherwise dropping `users` would cascade to every row that points at
-- a user. Rows that point at a rebuilt table keep pointing at it by name.

PRAGMA foreign_keys = OFF;
BEGIN;

-- academies
CREATE TABLE new_academies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT 'starter',
    visibility TEXT NOT NULL DEFAULT 'private',
    created_at BIGINT NOT NULL,
    require_signup_confirmation BIGINT NOT NULL DEFAULT 0,
    notify_access_requests BIGINT NOT NULL DEFAULT 1
);
INSERT INTO new_academies SELECT * FROM academies;
DROP TABLE academies;
ALTER TABLE new_academies RENAME TO academies;

-- users
CREATE TABLE new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT,
    CONSTRAINT users_academy_email UNIQUE (academy_id, email)
);
INSERT INTO new_users SELECT * FROM users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
CREATE INDEX users_academy_recent ON users (academy_id, id);
CREATE INDEX users_academy_created ON users (academy_id, created_at, role);

-- audit_log
CREATE TABLE new_audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    actor_user_id BIGINT,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
INSERT INTO new_audit_log SELECT * FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE new_audit_log RENAME TO audit_log;
CREATE INDEX audit_log_academy_time ON audit_log (academy_id, created_at);
CREATE INDEX audit_log_academy_actor_time ON audit_log (academy_id, actor_user_id, created_at);

-- teams
CREATE TABLE new_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '#0b6e99',
    created_at BIGINT NOT NULL
);
INSERT INTO new_teams SELECT * FROM teams;
DROP TABLE teams;
ALTER TABLE new_teams RENAME TO teams;
CREATE UNIQUE INDEX teams_academy_name ON teams (academy_id, lower(name));

-- invites
CREATE TABLE new_invites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    role TEXT NOT NULL,
    send_email BIGINT NOT NULL,
    -- pending | accepted | revoked ("expired" is pending past expires_at)
    status TEXT NOT NULL,
    -- not_requested | queued | sent | retrying | failed
    email_status TEXT NOT NULL,
    email_error TEXT,
    -- form | csv | team | api
    source TEXT NOT NULL,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO new_invites SELECT * FROM invites;
DROP TABLE invites;
ALTER TABLE new_invites RENAME TO invites;
CREATE UNIQUE INDEX invites_one_pending ON invites (academy_id, email) WHERE status = 'pending';
CREATE INDEX invites_academy_recent ON invites (academy_id, id);
CREATE INDEX invites_academy_email ON invites (academy_id, email);
CREATE INDEX invites_statistics ON invites (academy_id, status, source, email_status, created_at, accepted_at);
CREATE INDEX invites_accept_time ON invites (academy_id, (accepted_at - created_at), created_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX invites_pending ON invites (academy_id, id) WHERE status = 'pending';

-- invite_tokens
CREATE TABLE new_invite_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    invite_id BIGINT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO new_invite_tokens SELECT * FROM invite_tokens;
DROP TABLE invite_tokens;
ALTER TABLE new_invite_tokens RENAME TO invite_tokens;
CREATE INDEX invite_tokens_invite ON invite_tokens (invite_id);

-- email_outbox
CREATE TABLE new_email_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    -- what to render at send time: 'invite' -> invite_tokens.id
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    to_email TEXT NOT NULL,
    -- stable across retries, so a resent message is recognisably the same one
    message_id TEXT NOT NULL,
    -- queued | retrying | sent | failed
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
INSERT INTO new_email_outbox SELECT * FROM email_outbox;
DROP TABLE email_outbox;
ALTER TABLE new_email_outbox RENAME TO email_outbox;
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE INDEX email_outbox_ref ON email_outbox (kind, ref_id);

-- signup_codes
CREATE TABLE new_signup_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    salt TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO new_signup_codes SELECT * FROM signup_codes;
DROP TABLE signup_codes;
ALTER TABLE new_signup_codes RENAME TO signup_codes;
CREATE INDEX signup_codes_email ON signup_codes (academy_id, email);

-- imports
CREATE TABLE new_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    -- chosen by the browser for one upload: starting the same upload twice finds the first
    import_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    role TEXT NOT NULL,
    send_email BIGINT NOT NULL,
    -- the chosen teams' ids, comma-separated (a snapshot; teams deleted later simply vanish)
    team_ids TEXT NOT NULL,
    -- rows the browser found ready in the file
    total_rows BIGINT NOT NULL,
    invited BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    existing BIGINT NOT NULL DEFAULT 0,
    added_to_teams BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    source TEXT NOT NULL DEFAULT 'csv',
    api_client_id BIGINT REFERENCES api_clients (id) ON DELETE SET NULL,
    request_hash TEXT
);
INSERT INTO new_imports SELECT * FROM imports;
DROP TABLE imports;
ALTER TABLE new_imports RENAME TO imports;
CREATE UNIQUE INDEX imports_key ON imports (academy_id, import_key);
CREATE INDEX imports_academy_recent ON imports (academy_id, id);

-- api_clients
CREATE TABLE new_api_clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO new_api_clients SELECT * FROM api_clients;
DROP TABLE api_clients;
ALTER TABLE new_api_clients RENAME TO api_clients;
CREATE INDEX api_clients_academy ON api_clients (academy_id, id);

-- api_tokens
CREATE TABLE new_api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO new_api_tokens SELECT * FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE new_api_tokens RENAME TO api_tokens;
CREATE INDEX api_tokens_client ON api_tokens (client_id);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);

-- webhooks
CREATE TABLE new_webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- event names, comma-separated: 'invite.accepted,learner.registered'
    events TEXT NOT NULL,
    secret_salt TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO new_webhooks SELECT * FROM webhooks;
DROP TABLE webhooks;
ALTER TABLE new_webhooks RENAME TO webhooks;
CREATE INDEX webhooks_academy ON webhooks (academy_id, id);

-- webhook_deliveries
CREATE TABLE new_webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    -- the exact JSON body, the same bytes on every attempt
    payload TEXT NOT NULL,
    -- queued | retrying | delivered | failed
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- the receiver's HTTP status on the last attempt (none: no answer)
    response_status BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    delivered_at BIGINT
);
INSERT INTO new_webhook_deliveries SELECT * FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE new_webhook_deliveries RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- courses
CREATE TABLE new_courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- 0 = draft, 1 = published
    published BIGINT NOT NULL DEFAULT 0,
    for_everyone BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO new_courses SELECT * FROM courses;
DROP TABLE courses;
ALTER TABLE new_courses RENAME TO courses;
CREATE UNIQUE INDEX courses_academy_title ON courses (academy_id, title_key);

-- access_requests
CREATE TABLE new_access_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    -- pending | approved | declined
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at BIGINT,
    -- Declined: the reason the administrator gave (sent to the person when they chose to email it).
    decline_reason TEXT,
    -- Approved: the invitation sent, or the account made from the request's password.
    invite_id BIGINT REFERENCES invites (id) ON DELETE SET NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The address the request came from (rate limits; shown to nobody).
    ip TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_access_requests SELECT * FROM access_requests;
DROP TABLE access_requests;
ALTER TABLE new_access_requests RENAME TO access_requests;
CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (academy_id, email) WHERE status = 'pending';
CREATE INDEX access_requests_academy_status ON access_requests (academy_id, status, id);
CREATE INDEX access_requests_academy_email ON access_requests (academy_id, email);

COMMIT;
PRAGMA foreign_keys = ON;
