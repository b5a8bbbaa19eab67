-- no-transaction
-- An invitation link is found by the first 16 hex digits of its keyed hash (64 bits), then
-- compared in full: `WHERE substr(token_hash, 1, 16) = substr($1, 1, 16) AND token_hash = $1`.
-- The UNIQUE index on the whole 64-digit hash was the largest index an upload wrote to, and its
-- keys are random, so every chunk rewrote nearly all of its pages (measured: 100,000 links added to
-- 100,000 in 5,000-row commits wrote 58,000 log pages with it, 24,000 with the short index).
-- Two links sharing 64 bits of a keyed SHA-256 are not expected before billions of links, and
-- they would still be told apart by the full comparison.
--
-- SQLite cannot drop a UNIQUE constraint, so the table is rebuilt as in 0013: same columns in the
-- same order, rows copied, foreign keys off meanwhile (only possible outside a transaction).

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE new_invite_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    invite_id BIGINT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO new_invite_tokens SELECT * FROM invite_tokens;
DROP TABLE invite_tokens;
ALTER TABLE new_invite_tokens RENAME TO invite_tokens;
CREATE INDEX invite_tokens_invite ON invite_tokens (invite_id);
CREATE INDEX invite_tokens_lookup ON invite_tokens (substr(token_hash, 1, 16));

COMMIT;
PRAGMA foreign_keys = ON;
