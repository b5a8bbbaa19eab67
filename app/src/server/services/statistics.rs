//! The Statistics page's numbers for the caller's academy and its CSV export. The filter is checked
//! by `domain::statistics`; a team of another academy is "not found". The independent counts run at
//! once, each on its own pooled connection.

use crate::domain::AcademyId;
use crate::{
    domain::{
        calendar::{day_of_ms, iso_date},
        csv_import::write::to_csv,
        invite::{EmailStatus, InviteState},
        statistics::{
            self, DayCount, Funnel, ParsedFilter, SOURCES, StatisticsFilter, duration_words,
            percent, source_label,
        },
    },
    error::{AppError, FieldError},
    model::{
        TeamView,
        statistics::{SourceCount, Statistics, StatisticsCsv, TeamCount},
    },
    server::{
        auth::SessionUser,
        db::{Db, now_ms},
        repo::{self, statistics::InviteGroupRow},
        state::AppState,
    },
};

fn parse(filter: &StatisticsFilter) -> Result<ParsedFilter, AppError> {
    statistics::parse_filter(filter, day_of_ms(now_ms())).map_err(|errors| {
        let fields = errors
            .into_iter()
            .map(|(field, message)| FieldError {
                field: field.into(),
                message,
            })
            .collect();
        AppError::from_fields(fields)
            .unwrap_or_else(|| AppError::invalid("from", "Check the dates."))
    })
}

fn no_such_team() -> AppError {
    AppError::NotFound(
        "This team does not exist in your academy (it may have been deleted). Choose another team or \"All teams\".".into(),
    )
}

/// The median of the accepted invitations' times to acceptance (`timed` of them).
async fn median(
    db: &Db,
    academy_id: AcademyId,
    f: &ParsedFilter,
    timed: i64,
) -> Result<Option<i64>, AppError> {
    if timed == 0 {
        return Ok(None);
    }
    let (skip, take) = ((timed - 1) / 2, if timed % 2 == 1 { 1 } else { 2 });
    let middle = repo::statistics::accept_durations(
        &db.pool,
        academy_id,
        f.range.start_ms(),
        f.range.end_ms(),
        f.team_id,
        skip,
        take,
    )
    .await?;
    Ok((!middle.is_empty()).then(|| middle.iter().sum::<i64>() / middle.len() as i64))
}

/// The invitation counts and, from them, the median (which needs their count first).
async fn invitations(
    db: &Db,
    academy_id: AcademyId,
    f: &ParsedFilter,
) -> Result<(Vec<InviteGroupRow>, Option<i64>), AppError> {
    let rows = repo::statistics::invite_counts(
        &db.pool,
        academy_id,
        f.range.start_ms(),
        f.range.end_ms(),
        f.team_id,
    )
    .await?;
    let timed = rows.iter().map(|r| r.timed).sum();
    let median = median(db, academy_id, f, timed).await?;
    Ok((rows, median))
}

pub async fn compute(
    state: &AppState,
    actor: &SessionUser,
    filter: &StatisticsFilter,
) -> Result<Statistics, AppError> {
    for_academy(&state.db, actor.academy_id, filter).await
}

/// The numbers of `academy_id` (from the session: never the client's) for `filter`.
pub async fn for_academy(
    db: &Db,
    academy_id: AcademyId,
    filter: &StatisticsFilter,
) -> Result<Statistics, AppError> {
    let f = parse(filter)?;
    let pool = &db.pool;
    let (teams, (groups, median_accept_ms), days, team_rows) = tokio::try_join!(
        async {
            repo::statistics::teams(pool, academy_id)
                .await
                .map_err(AppError::from)
        },
        invitations(db, academy_id, &f),
        async {
            repo::statistics::signups_per_day(
                pool,
                academy_id,
                f.range.from_day,
                f.range.to_day,
                f.team_id,
            )
            .await
            .map_err(AppError::from)
        },
        async {
            repo::statistics::team_counts(pool, academy_id, f.team_id)
                .await
                .map_err(AppError::from)
        },
    )?;
    let teams: Vec<TeamView> = teams
        .into_iter()
        .map(|t| TeamView {
            id: t.id,
            name: t.name,
            color: t.color,
        })
        .collect();
    // Every query was scoped by the caller's academy: another academy's team simply matched
    // nothing, and is refused here, like one that does not exist.
    let team = match f.team_id {
        Some(id) => Some(
            teams
                .iter()
                .find(|t| t.id == id)
                .cloned()
                .ok_or_else(no_such_team)?,
        ),
        None => None,
    };
    let mut funnel = Funnel::default();
    let mut failed_emails = 0;
    let mut by_source: Vec<SourceCount> = SOURCES
        .into_iter()
        .map(|source| SourceCount {
            source,
            invited: 0,
            accepted: 0,
        })
        .collect();
    for r in &groups {
        let accepted = if r.status == InviteState::Accepted {
            r.n
        } else {
            0
        };
        funnel.invited += r.n;
        funnel.accepted += accepted;
        match r.email_status {
            // A reminder went out after the invitation itself did.
            EmailStatus::Sent | EmailStatus::ReminderSent => funnel.email_sent += r.n,
            EmailStatus::Failed => failed_emails += r.n,
            _ => {}
        }
        if let Some(c) = by_source.iter_mut().find(|c| c.source == r.source) {
            c.invited += r.n;
            c.accepted += accepted;
        }
    }
    let sparse: Vec<DayCount> = days
        .into_iter()
        .map(|d| DayCount {
            day: d.day,
            count: d.n,
        })
        .collect();
    Ok(Statistics {
        range: f.range,
        today: day_of_ms(now_ms()),
        team,
        teams,
        funnel,
        failed_emails,
        median_accept_ms,
        by_source,
        team_rows: team_rows
            .into_iter()
            .map(|r| TeamCount {
                team: TeamView {
                    id: r.id,
                    name: r.name,
                    color: r.color,
                },
                learners: r.learners,
                pending_invites: r.pending_invites,
            })
            .collect(),
        signups: statistics::fill_days(f.range, &sparse),
    })
}

pub async fn export(
    state: &AppState,
    actor: &SessionUser,
    filter: &StatisticsFilter,
) -> Result<StatisticsCsv, AppError> {
    let s = compute(state, actor, filter).await?;
    let slug = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .map(|a| a.slug)
        .ok_or(AppError::Unauthorized)?;
    Ok(StatisticsCsv {
        file_name: file_name(&slug, &s),
        text: csv_text(&slug, &s),
    })
}

/// `acme-statistics-2026-03-01-to-2026-03-30.csv` (`…-team-7.csv` for one team).
pub fn file_name(slug: &str, s: &Statistics) -> String {
    let team = s
        .team
        .as_ref()
        .map(|t| format!("-team-{}", t.id))
        .unwrap_or_default();
    format!(
        "{slug}-statistics-{}-to-{}{team}.csv",
        iso_date(s.range.from_day),
        iso_date(s.range.to_day)
    )
}

/// What the page shows, section after section, as CSV (cells neutralised by `to_csv`).
pub fn csv_text(slug: &str, s: &Statistics) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |cells: &[&str]| rows.push(cells.iter().map(|c| c.to_string()).collect());
    row(&["Statistics", slug]);
    row(&[
        "Dates (days in UTC)",
        &iso_date(s.range.from_day),
        &iso_date(s.range.to_day),
    ]);
    row(&[
        "Team",
        s.team.as_ref().map_or("All teams", |t| t.name.as_str()),
    ]);
    row(&[]);
    row(&["Invitation funnel", "Count", "% of invited"]);
    for (label, n, p) in s.funnel.steps() {
        row(&[label, &n.to_string(), &p]);
    }
    row(&["Acceptance rate", &s.funnel.acceptance_rate()]);
    row(&[
        "Median time to acceptance",
        &s.median_accept_ms.map_or("–".into(), duration_words),
    ]);
    row(&["Failed emails", &s.failed_emails.to_string()]);
    row(&[]);
    row(&["Source", "Invited", "Accepted", "Acceptance rate"]);
    for c in &s.by_source {
        row(&[
            source_label(c.source),
            &c.invited.to_string(),
            &c.accepted.to_string(),
            &percent(c.accepted, c.invited),
        ]);
    }
    row(&[]);
    row(&["Team", "Learners", "Pending invites"]);
    for t in &s.team_rows {
        row(&[
            &t.team.name,
            &t.learners.to_string(),
            &t.pending_invites.to_string(),
        ]);
    }
    row(&[]);
    row(&["Date", "Sign-ups"]);
    for d in &s.signups {
        row(&[&iso_date(d.day), &d.count.to_string()]);
    }
    to_csv(rows)
}
