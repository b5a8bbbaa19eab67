-- "Forgot your password?": single-use links that work for one hour. The token is derived from the
-- server secret and `salt` (so the email can be rendered when it is sent); only its keyed hash is
-- stored, like invitation links. Used or expired rows are purged by housekeeping.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- Who asked: NULL for the person themselves, else the administrator who sent it.
    sent_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
