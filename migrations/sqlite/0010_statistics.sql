-- The Statistics page counts an academy's invitations and sign-ups with COUNT/GROUP BY. Each index
-- holds every column its query reads, so no table row is visited, and hands the rows over in the
-- order the query wants, so nothing is sorted: the page stays fast at 100,000 invitations.

-- The funnel, sources and failed emails: GROUP BY status, source, email_status in index order, the
-- date range checked on the way; and an academy's pending invitations (learners per team).
CREATE INDEX invites_statistics ON invites (academy_id, status, source, email_status, created_at, accepted_at);
-- The median time to acceptance: accepted invitations, shortest wait first; the median is the
-- middle one of those in the date range.
CREATE INDEX invites_accept_time ON invites (academy_id, (accepted_at - created_at), created_at) WHERE accepted_at IS NOT NULL;
-- Sign-ups per day: an academy's users by creation time.
CREATE INDEX users_academy_created ON users (academy_id, created_at, role);
-- The team filter: a team's invitations without visiting the table.
CREATE INDEX invite_teams_team_invite ON invite_teams (team_id, invite_id);
