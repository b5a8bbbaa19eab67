-- Private academies turn strangers at the academy link into access requests, which an administrator
-- approves (an invitation, or the account at once when the request carried a password) or declines.
-- Only the hash of a password given with a request is stored (argon2id, like users.password_hash).
-- Invitations sent on approval have invites.source = 'request' (a new value; the column has no CHECK).

-- "Email administrators when someone requests access" (on by default: a request nobody hears of waits forever).
ALTER TABLE academies ADD COLUMN notify_access_requests BIGINT NOT NULL DEFAULT 1;

CREATE TABLE access_requests (
    id INTEGER PRIMARY KEY,
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
-- At most one pending request per (academy, email), whatever races: a repeat updates it.
CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (academy_id, email) WHERE status = 'pending';
CREATE INDEX access_requests_academy_status ON access_requests (academy_id, status, id);
CREATE INDEX access_requests_academy_email ON access_requests (academy_id, email);
