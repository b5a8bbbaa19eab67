-- An academy's pending invitations by id, alone: the Statistics page's "pending invitations per
-- team" joins them to their teams. Without it PostgreSQL read every invitation of the academy
-- (100,000 rows) to find the pending ones; this index holds only those, and their ids.
CREATE INDEX invites_pending ON invites (academy_id, id) WHERE status = 'pending';
