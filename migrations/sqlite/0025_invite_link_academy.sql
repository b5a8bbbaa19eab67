-- no-transaction
-- An invitation link belongs to its invitation's academy: one foreign key on (academy, invitation)
-- instead of one on each, so the database refuses a link whose academy is not its invitation's
-- (before, each column was only checked to exist). A link still goes with its invitation, and with
-- its academy through the invitation. (On PostgreSQL this also halves the keys an upload checks;
-- see its migration of this number.)
--
-- A foreign key names a unique set of columns: the index by (academy, id) the invitation lists
-- already use becomes unique (the id alone is). SQLite cannot change a table's foreign keys, so
-- `invite_tokens` is rebuilt as in 0013 and 0024: same columns in the same order, rows copied,
-- foreign keys off meanwhile (only possible outside a transaction).

PRAGMA foreign_keys = OFF;
BEGIN;

DROP INDEX invites_academy_recent;
CREATE UNIQUE INDEX invites_academy_recent ON invites (academy_id, id);

CREATE TABLE new_invite_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academy_id BIGINT NOT NULL,
    invite_id BIGINT NOT NULL,
    salt TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    FOREIGN KEY (academy_id, invite_id) REFERENCES invites (academy_id, id) ON DELETE CASCADE
);
-- AUTOINCREMENT's highest id handed out goes with the rows (dropping a table forgets it): without
-- it, the ids of deleted newest links would be handed out again, and the outbox names links by id.
-- (0024 rebuilt this table without it: a link deleted as the newest before then may have had its
-- id handed out again.)
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'new_invite_tokens', seq FROM sqlite_sequence WHERE name = 'invite_tokens';
INSERT INTO new_invite_tokens SELECT * FROM invite_tokens;
DROP TABLE invite_tokens;
ALTER TABLE new_invite_tokens RENAME TO invite_tokens;
CREATE INDEX invite_tokens_invite ON invite_tokens (invite_id);
CREATE INDEX invite_tokens_lookup ON invite_tokens (substr(token_hash, 1, 16));

COMMIT;
PRAGMA foreign_keys = ON;
