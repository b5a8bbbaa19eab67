-- An invitation link is found by the first 16 hex digits of its keyed hash (64 bits), then
-- compared in full: `WHERE substr(token_hash, 1, 16) = substr($1, 1, 16) AND token_hash = $1`.
-- The UNIQUE index on the whole 64-digit hash was the largest index an upload wrote to, and its
-- keys are random, so every chunk rewrote nearly all of its pages (see SQLite's migration of this
-- number for the measurement). Two links sharing 64 bits of a keyed SHA-256 are not expected
-- before billions of links, and they would still be told apart by the full comparison.
ALTER TABLE invite_tokens DROP CONSTRAINT invite_tokens_token_hash_key;
CREATE INDEX invite_tokens_lookup ON invite_tokens (substr(token_hash, 1, 16));
