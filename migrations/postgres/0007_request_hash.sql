-- An API call keyed by an Idempotency-Key remembers a fingerprint of its options, so the same key
-- sent with different options is refused instead of answered with the first call's results.
ALTER TABLE imports ADD COLUMN request_hash TEXT;
