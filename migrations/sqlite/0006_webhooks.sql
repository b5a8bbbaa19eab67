-- Webhooks (Settings → Webhooks): an academy's receivers, the events each one wants, and a log of
-- every delivery. The signing secret is not stored: it is derived from the server secret and
-- `secret_salt` (tokens::derive_webhook_secret), like invitation links, so a database dump alone
-- cannot sign a forged delivery.
--
-- Deliveries go through `email_outbox` (the same claim, lease, backoff and give-up rules as email)
-- as rows of kind 'webhook': ref_id = webhook_deliveries.id, to_email = '' (the URL is read from the
-- webhook at send time), message_id = 'webhook-<delivery id>'. The delivery row keeps what the
-- admin sees in the delivery log; the outbox row keeps the schedule.

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- event names, comma-separated: 'invite.accepted,learner.registered'
    events TEXT NOT NULL,
    secret_salt TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhooks_academy ON webhooks (academy_id, id);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
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
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
