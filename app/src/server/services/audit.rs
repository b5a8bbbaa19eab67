//! Reading the audit log: the page's filters checked once, rows put into words
//! (`domain::audit`), and the CSV export.

use crate::domain::{AcademyId, UserId};
use crate::{
    domain::{
        audit::{
            ActionGroup, AuditQuery, MAX_EXPORT_ROWS, api_application, day_range, detail_text,
            sane_offset, sentence, target_text, zone_label,
        },
        csv_import::write::to_csv,
        role::Role,
    },
    error::AppError,
    model::{
        Page,
        audit::{AuditActor, AuditEntry, AuditExport, AuditPeople, AuditPerson},
    },
    server::{
        auth::SessionUser,
        repo::{
            self,
            audit::{AuditFilter, AuditRow},
            lists::PER_PAGE,
        },
        state::AppState,
    },
};

/// Longest search text we take; longer input is a paste gone wrong.
/// People the "Who" filter lists at most (the most recently active).
const MAX_PEOPLE: i64 = 500;

/// The query as a filter, or what is wrong with it (by field).
fn filter(q: &AuditQuery) -> Result<AuditFilter, AppError> {
    let prefixes = match q.action.trim() {
        "" => vec![],
        key => ActionGroup::by_key(key)
            .ok_or_else(|| {
                AppError::invalid(
                    "action",
                    format!(
                        "There is no kind of action called \"{key}\"; choose one from the list."
                    ),
                )
            })?
            .prefixes
            .iter()
            .map(|p| p.to_string())
            .collect(),
    };
    let who = q.who().map_err(|m| AppError::invalid("who", m))?;
    let (from_ms, until_ms) = day_range(&q.from, &q.to, q.utc_offset_min)
        .map_err(|(field, m)| AppError::invalid(field, m))?;
    let search = super::search(&q.search)?.to_owned();
    Ok(AuditFilter {
        prefixes,
        who: Some(who),
        from_ms,
        until_ms,
        search,
    })
}

fn entry(r: AuditRow) -> AuditEntry {
    let actor = match (r.actor_user_id, r.actor_email) {
        (Some(_), Some(email)) => AuditActor::Person {
            name: crate::model::display_name(
                r.actor_first.as_deref().unwrap_or_default(),
                r.actor_last.as_deref().unwrap_or_default(),
                &email,
            ),
            email,
        },
        (Some(_), None) => AuditActor::Removed,
        (None, _) => match api_application(&r.action, &r.target) {
            Some(application) => AuditActor::Api {
                application: application.to_string(),
            },
            None => AuditActor::System,
        },
    };
    AuditEntry {
        id: r.id,
        at: r.created_at,
        what: sentence(&r.action, &r.detail),
        target: target_text(&r.action, &r.target).to_string(),
        detail: detail_text(&r.action, &r.detail),
        actor,
        action: r.action,
    }
}

pub async fn page(
    state: &AppState,
    actor: &SessionUser,
    q: &AuditQuery,
) -> Result<Page<AuditEntry>, AppError> {
    let f = filter(q)?;
    let page = q.page.max(1);
    let (rows, total) = repo::audit::page(&state.db.pool, actor.academy_id, &f, page).await?;
    Ok(Page {
        rows: rows.into_iter().map(entry).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The newest `limit` entries about a person (by their email) or by them.
pub async fn about_person(
    state: &AppState,
    academy_id: AcademyId,
    email: &str,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    Ok(
        repo::audit::about_person(&state.db.pool, academy_id, email, user_id, limit)
            .await?
            .into_iter()
            .map(entry)
            .collect(),
    )
}

pub async fn people(state: &AppState, actor: &SessionUser) -> Result<AuditPeople, AppError> {
    let rows = repo::audit::actors(&state.db.pool, actor.academy_id, MAX_PEOPLE + 1).await?;
    let more = rows.len() as i64 > MAX_PEOPLE;
    let mut out = AuditPeople {
        more,
        ..Default::default()
    };
    for r in rows.into_iter().take(MAX_PEOPLE as usize) {
        let role: Role = r.role;
        let person = AuditPerson {
            id: r.id,
            name: crate::model::display_name(&r.first_name, &r.last_name, &r.email),
            email: r.email,
            role,
        };
        if role.can(crate::domain::Permission::ManageLearners) {
            out.managers.push(person);
        } else {
            out.others.push(person);
        }
    }
    let by_name = |a: &AuditPerson, b: &AuditPerson| {
        (a.name.to_lowercase(), &a.email).cmp(&(b.name.to_lowercase(), &b.email))
    };
    out.managers.sort_by(by_name);
    out.others.sort_by(by_name);
    Ok(out)
}

/// "2026-12-01 14:05:09" in the viewer's time zone: a form spreadsheets read as a date and time.
fn when(ms: i64, utc_offset_min: i32) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let offset = time::UtcOffset::from_whole_seconds(sane_offset(utc_offset_min) * 60)
        .unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(offset))
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

pub async fn export(
    state: &AppState,
    actor: &SessionUser,
    q: &AuditQuery,
) -> Result<AuditExport, AppError> {
    let f = filter(q)?;
    let mut rows =
        repo::audit::newest(&state.db.pool, actor.academy_id, &f, MAX_EXPORT_ROWS + 1).await?;
    let capped = rows.len() > MAX_EXPORT_ROWS;
    rows.truncate(MAX_EXPORT_ROWS);
    let count = rows.len();
    let offset = sane_offset(q.utc_offset_min);
    let header = vec![
        format!("When ({})", zone_label(offset)),
        "Who".into(),
        "Email".into(),
        "What".into(),
        "Action".into(),
        "Target".into(),
        "Detail".into(),
    ];
    let lines = rows.into_iter().map(|r| {
        let at = r.created_at;
        let e = entry(r);
        let (who, email) = match &e.actor {
            AuditActor::Person { name, email } => (name.clone(), email.clone()),
            AuditActor::Api { application } => {
                (format!("{application} (API application)"), String::new())
            }
            other => (other.name(), String::new()),
        };
        vec![
            when(at, offset),
            who,
            email,
            e.what,
            e.action,
            e.target,
            e.detail,
        ]
    });
    Ok(AuditExport {
        csv: to_csv(std::iter::once(header).chain(lines)),
        rows: count,
        capped,
    })
}
