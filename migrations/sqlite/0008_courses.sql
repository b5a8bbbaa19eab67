-- Courses (the admin's Courses section) and who each one is for: everyone in the academy
-- (`for_everyone` = 1) and/or the teams in `course_teams`. Learners see the published ones.
--
-- Titles are unique per academy regardless of case. The key is `title_key`, the title lower-cased
-- by Shoal (domain::course::CourseTitle::key) rather than by the database: SQLite's lower() folds
-- ASCII only and PostgreSQL's follows its locale, so "Über" and "über" would clash on one backend
-- and not the other.

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- 0 = draft, 1 = published
    published BIGINT NOT NULL DEFAULT 0,
    for_everyone BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX courses_academy_title ON courses (academy_id, title_key);

-- Deleting a team (or a course) removes its assignments.
CREATE TABLE course_teams (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    academy_id BIGINT NOT NULL REFERENCES academies (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, team_id)
);
CREATE INDEX course_teams_team ON course_teams (team_id);
