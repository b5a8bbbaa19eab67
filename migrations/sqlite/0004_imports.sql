-- CSV imports ("Upload CSV File"): one row per upload, and one row per line of the file the server
-- has handled, so a retried chunk is answered from what was done, never done twice, and the
-- per-row result report can be downloaded later.

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    -- chosen by the browser for one upload: starting the same upload twice finds the first
    import_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    role TEXT NOT NULL,
    send_email BIGINT NOT NULL,
    -- the chosen teams' ids, comma-separated (a snapshot; teams deleted later simply vanish)
    team_ids TEXT NOT NULL,
    -- rows the browser found ready in the file
    total_rows BIGINT NOT NULL,
    invited BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    existing BIGINT NOT NULL DEFAULT 0,
    added_to_teams BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE UNIQUE INDEX imports_key ON imports (academy_id, import_key);
CREATE INDEX imports_academy_recent ON imports (academy_id, id);

CREATE TABLE import_rows (
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    -- invited | already_invited | already_learner | invalid
    outcome TEXT NOT NULL,
    invite_id BIGINT,
    added_to_teams BIGINT NOT NULL DEFAULT 0,
    message TEXT,
    PRIMARY KEY (import_id, line)
);
CREATE INDEX import_rows_email ON import_rows (import_id, email);
