-- The audit log page filters by who acted (and lists the people who appear in the log): rows of one
-- actor, newest first, without reading the academy's whole log.
CREATE INDEX audit_log_academy_actor_time ON audit_log (academy_id, actor_user_id, created_at);
