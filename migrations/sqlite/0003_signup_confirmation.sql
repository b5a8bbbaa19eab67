-- "Require email confirmation when signing up without an invitation link" (off by default) and the
-- pending sign-ups waiting for their code. The code itself is never stored: it is derived from the
-- server secret and `salt`, like invitation links.

ALTER TABLE academies ADD COLUMN require_signup_confirmation BIGINT NOT NULL DEFAULT 0;

CREATE TABLE signup_codes (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX signup_codes_email ON signup_codes (academy_id, email);

-- The All Learners tab pages by newest first within an academy.
CREATE INDEX users_academy_recent ON users (academy_id, id);
