-- Settings → Invitations: how long an invitation link works, in days (0: it never expires), and how
-- many days before it expires a reminder is emailed (0: no reminder). Academies keep today's 14 days;
-- reminders are on.
ALTER TABLE academies ADD COLUMN invite_expiry_days BIGINT NOT NULL DEFAULT 14;
ALTER TABLE academies ADD COLUMN invite_reminder_days BIGINT NOT NULL DEFAULT 3;
-- When the reminder of a pending invitation was queued (cleared when the invitation gets a new
-- expiry, so each expiry gets at most one reminder).
ALTER TABLE invites ADD COLUMN reminded_at BIGINT;
