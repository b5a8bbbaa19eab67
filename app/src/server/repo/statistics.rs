//! The Statistics page's counts: aggregate queries over one academy's invitations, learners and
//! teams (COUNT/GROUP BY on the indexes of migration 0010), never a row per person.

use crate::domain::invite::{EmailStatus, InviteSource, InviteState};
use crate::domain::{AcademyId, DAY_MS, TeamId};
use sqlx::{Any, Executor, FromRow};

use super::lists::LEARNER_ROLES_SQL;

/// The median's invitations: made in `[start, end)` (compared as `+i.created_at`, a no-op in both
/// databases that keeps SQLite from choosing a range index and a sort), accepted at a known time,
/// optionally only those that include `team` (bound as `$4`).
fn accepted_where(team: Option<TeamId>) -> String {
    let team = match team {
        Some(_) => " AND i.id IN (SELECT it.invite_id FROM invite_teams it WHERE it.team_id = $4)",
        None => "",
    };
    format!(
        "i.academy_id = $1 AND +i.created_at >= $2 AND +i.created_at < $3 \
         AND i.accepted_at IS NOT NULL{team}"
    )
}

/// Invitations in the range with one source, status and email status.
#[derive(Debug, Clone, FromRow)]
pub struct InviteGroupRow {
    pub source: InviteSource,
    pub status: InviteState,
    pub email_status: EmailStatus,
    pub n: i64,
    /// Of those, accepted at a known time (the median's population).
    pub timed: i64,
}

/// All teams: grouped in the order of the `invites_statistics` index, one pass over the academy's
/// entries in it, nothing sorted, whatever the range. One team: from the team's invitations
/// (`CROSS JOIN` makes SQLite start there; to PostgreSQL it is a plain join), so the work follows
/// the team's size, not the academy's.
#[tracing::instrument(skip(ex))]
pub async fn invite_counts<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    start_ms: i64,
    end_ms: i64,
    team: Option<TeamId>,
) -> Result<Vec<InviteGroupRow>, sqlx::Error> {
    let from = match team {
        Some(_) => {
            "FROM invite_teams it CROSS JOIN invites i \
             WHERE it.team_id = $4 AND i.id = it.invite_id AND"
        }
        None => "FROM invites i WHERE",
    };
    let q = format!(
        "SELECT i.status, i.source, i.email_status, COUNT(*) AS n, \
         SUM(CASE WHEN i.accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS timed \
         {from} i.academy_id = $1 AND i.created_at >= $2 AND i.created_at < $3 \
         GROUP BY i.status, i.source, i.email_status ORDER BY i.status, i.source, i.email_status"
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q))
        .bind(academy_id)
        .bind(start_ms)
        .bind(end_ms);
    if let Some(t) = team {
        query = query.bind(t);
    }
    query.fetch_all(ex).await
}

/// The `skip`-th and following (at most `take`) times from invitation to acceptance, shortest
/// first, of the invitations made in the range that were accepted: the median's middle values.
/// Read along the `invites_accept_time` index (already in that order) until enough in the range
/// have been seen, rather than sorting the range's.
#[tracing::instrument(skip(ex))]
pub async fn accept_durations<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    start_ms: i64,
    end_ms: i64,
    team: Option<TeamId>,
    skip: i64,
    take: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let (limit, offset) = if team.is_some() {
        ("$5", "$6")
    } else {
        ("$4", "$5")
    };
    let q = format!(
        "SELECT i.accepted_at - i.created_at AS d FROM invites i WHERE {} \
         ORDER BY i.accepted_at - i.created_at LIMIT {limit} OFFSET {offset}",
        accepted_where(team)
    );
    let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
        .bind(academy_id)
        .bind(start_ms)
        .bind(end_ms);
    if let Some(t) = team {
        query = query.bind(t);
    }
    query.bind(take).bind(skip).fetch_all(ex).await
}

#[derive(Debug, Clone, Copy, FromRow)]
pub struct DayRow {
    /// The UTC day: days since 1970-01-01.
    pub day: i64,
    pub n: i64,
}

/// Learners (every learner role) created per UTC day from `from_day` to `to_day`; with `team`,
/// only the team's members. All teams: one count per day of the range, each a range of the
/// `users_academy_created` index (nothing sorted; every day of the range, empty ones 0). One team:
/// from the team's members (`CROSS JOIN`, see `invite_counts`), grouped by day, only days with
/// some.
#[tracing::instrument(skip(ex))]
pub async fn signups_per_day<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    from_day: i64,
    to_day: i64,
    team: Option<TeamId>,
) -> Result<Vec<DayRow>, sqlx::Error> {
    let q = match team {
        Some(_) => format!(
            "SELECT u.created_at / {DAY_MS} AS day, COUNT(*) AS n \
             FROM team_members m CROSS JOIN users u \
             WHERE m.team_id = $4 AND u.id = m.user_id AND u.academy_id = $1 \
             AND u.created_at >= $2 * {DAY_MS} AND u.created_at < ($3 + 1) * {DAY_MS} \
             AND u.role IN {LEARNER_ROLES_SQL} GROUP BY 1 ORDER BY 1"
        ),
        None => format!(
            "WITH RECURSIVE d (day) AS (\
               SELECT CAST($2 AS BIGINT) UNION ALL SELECT day + 1 FROM d WHERE day < $3\
             ) \
             SELECT d.day, (SELECT COUNT(*) FROM users u WHERE u.academy_id = $1 \
               AND u.created_at >= d.day * {DAY_MS} AND u.created_at < (d.day + 1) * {DAY_MS} \
               AND u.role IN {LEARNER_ROLES_SQL}) AS n \
             FROM d ORDER BY d.day"
        ),
    };
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q))
        .bind(academy_id)
        .bind(from_day)
        .bind(to_day);
    if let Some(t) = team {
        query = query.bind(t);
    }
    query.fetch_all(ex).await
}

#[derive(Debug, Clone, FromRow)]
pub struct TeamCountRow {
    pub id: TeamId,
    pub name: String,
    pub color: String,
    pub learners: i64,
    pub pending_invites: i64,
}

/// Each team's learners and pending invitations now (the Teams section's numbers), most learners
/// first; with `team`, only that team. Both counts are grouped in one pass each and joined to the
/// teams (a count per team in a subquery made PostgreSQL visit the members' table 101 times:
/// 181 → 87 ms alone at 100,000 learners in statistics_bench; SQLite reads the members' key either way).
/// Pending invitations come from the academy's pending ones (the `invites_pending` index), not
/// from every invitation a team ever had.
#[tracing::instrument(skip(ex))]
pub async fn team_counts<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team: Option<TeamId>,
) -> Result<Vec<TeamCountRow>, sqlx::Error> {
    let (teams, members, invites) = if team.is_some() {
        (" AND t.id = $2", " AND id = $2", " AND it.team_id = $2")
    } else {
        ("", "", "")
    };
    let q = format!(
        "SELECT t.id, t.name, t.color, COALESCE(m.n, 0) AS learners, \
         COALESCE(p.n, 0) AS pending_invites \
         FROM teams t LEFT JOIN (\
           SELECT team_id, COUNT(*) AS n FROM team_members \
           WHERE team_id IN (SELECT id FROM teams WHERE academy_id = $1{members}) GROUP BY team_id\
         ) m ON m.team_id = t.id LEFT JOIN (\
           SELECT it.team_id, COUNT(*) AS n FROM invites i \
           JOIN invite_teams it ON it.invite_id = i.id \
           WHERE i.academy_id = $1 AND i.status = 'pending'{invites} GROUP BY it.team_id\
         ) p ON p.team_id = t.id \
         WHERE t.academy_id = $1{teams} \
         ORDER BY learners DESC, lower(t.name), t.id"
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(academy_id);
    if let Some(t) = team {
        query = query.bind(t);
    }
    query.fetch_all(ex).await
}

#[derive(Debug, Clone, FromRow)]
pub struct TeamNameRow {
    pub id: TeamId,
    pub name: String,
    pub color: String,
}

/// Every team of the academy, by name (the team picker).
#[tracing::instrument(skip(ex))]
pub async fn teams<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<TeamNameRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, color FROM teams WHERE academy_id = $1 ORDER BY lower(name), id",
    )
    .bind(academy_id)
    .fetch_all(ex)
    .await
}
