-- Teams (the invite's team picker and acceptance need them; the Teams pages come later), invites with
-- their tokens and teams, and the email outbox.

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '#0b6e99',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX teams_academy_name ON teams (academy_id, lower(name));

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
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
-- At most one pending invite per (academy, email), whatever races.
CREATE UNIQUE INDEX invites_one_pending ON invites (academy_id, email) WHERE status = 'pending';
CREATE INDEX invites_academy_recent ON invites (academy_id, id);
CREATE INDEX invites_academy_email ON invites (academy_id, email);

CREATE TABLE invite_teams (
    invite_id BIGINT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (invite_id, team_id)
);
CREATE INDEX invite_teams_team ON invite_teams (team_id);

-- Each sent invitation link. The token itself is never stored: it is derived from the server secret
-- and `salt`, and looked up by its keyed hash, so a database dump alone yields no working link.
CREATE TABLE invite_tokens (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    invite_id BIGINT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX invite_tokens_invite ON invite_tokens (invite_id);

CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE INDEX email_outbox_ref ON email_outbox (kind, ref_id);
