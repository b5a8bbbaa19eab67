-- A personal message in the invitation email. The academy's default (Settings → Invitations) is
-- offered in every invite dialog; each invitation keeps the words of the batch that made or last
-- renewed it, so a reminder or a resend says the same. An upload keeps its batch's words for every
-- chunk. '' is "no message".
ALTER TABLE academies ADD COLUMN invite_message TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN message TEXT NOT NULL DEFAULT '';
