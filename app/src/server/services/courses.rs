//! The Courses section: creating, editing, publishing, assigning and deleting courses, each change
//! with its audit row in the same transaction; and the courses a learner sees. Every function works
//! on the caller's academy only: a course or team of another academy is "not found", exactly like
//! one that does not exist.

use sqlx::AnyConnection;

use crate::domain::{AcademyId, CourseId, TeamId};
use crate::{
    domain::course::{
        CourseDescription, CourseTitle, MAX_TEAMS_PER_COURSE, parse_course, title_taken_message,
    },
    error::{AppError, FieldError},
    model::{
        ListQuery, Page, TeamView,
        courses::{CourseCard, CourseInput, CourseView, DeletedCourse},
    },
    server::{
        auth::SessionUser,
        db::{Tx, is_unique_violation, now_ms},
        repo::{
            self,
            courses::{CourseFields, CourseRow, CourseTeamRow},
            lists::PER_PAGE,
        },
        state::AppState,
    },
};

fn gone() -> AppError {
    AppError::NotFound(
        "This course no longer exists. Reload the page to see the current courses.".into(),
    )
}

fn teams_gone() -> AppError {
    AppError::invalid(
        "team_ids",
        "One of the chosen teams no longer exists. Reload the page and choose the teams again.",
    )
}

/// A course's input, checked: what gets written.
struct Checked {
    title: CourseTitle,
    description: CourseDescription,
    published: bool,
    for_everyone: bool,
    /// Sorted, without repeats; empty when the course is for everyone.
    team_ids: Vec<TeamId>,
}

impl Checked {
    fn fields<'a>(&'a self, title_key: &'a str) -> CourseFields<'a> {
        CourseFields {
            title: self.title.as_str(),
            title_key,
            description: self.description.as_str(),
            published: self.published,
            for_everyone: self.for_everyone,
        }
    }
}

/// Every field's problem at once, each under its field's name.
fn check(input: &CourseInput) -> Result<Checked, AppError> {
    let mut team_ids = if input.for_everyone {
        vec![]
    } else {
        input.team_ids.clone()
    };
    team_ids.sort_unstable();
    team_ids.dedup();
    let too_many_teams = (team_ids.len() > MAX_TEAMS_PER_COURSE).then(|| {
        format!(
            "A course can be assigned to at most {MAX_TEAMS_PER_COURSE} teams; you chose {}. Assign it to everyone instead.",
            team_ids.len()
        )
    });
    match (
        parse_course(&input.title, &input.description),
        too_many_teams,
    ) {
        (Ok((title, description)), None) => Ok(Checked {
            title,
            description,
            published: input.published,
            for_everyone: input.for_everyone,
            team_ids,
        }),
        (parsed, too_many_teams) => {
            let fields = parsed
                .err()
                .unwrap_or_default()
                .into_iter()
                .chain(too_many_teams.map(|m| ("team_ids", m)))
                .map(|(field, message)| FieldError {
                    field: field.into(),
                    message,
                })
                .collect();
            Err(AppError::from_fields(fields).expect("at least one field is wrong"))
        }
    }
}

fn view(row: CourseRow, teams: Vec<TeamView>) -> CourseView {
    CourseView {
        id: row.id,
        title: row.title,
        description: row.description,
        published: row.published != 0,
        for_everyone: row.for_everyone != 0,
        teams,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn team_view(t: CourseTeamRow) -> TeamView {
    TeamView {
        id: t.id,
        name: t.name,
        color: t.color,
    }
}

/// The course as it is in this transaction, with its teams.
async fn current(
    conn: &mut AnyConnection,
    academy_id: AcademyId,
    course_id: CourseId,
) -> Result<CourseView, AppError> {
    let row = repo::courses::by_id(&mut *conn, academy_id, course_id)
        .await?
        .ok_or_else(gone)?;
    let teams = repo::courses::teams_of(&mut *conn, academy_id, &[course_id]).await?;
    Ok(view(row, teams.into_iter().map(team_view).collect()))
}

/// Who a course is for, in words, for the audit log: "Everyone", "Sales, Support" or "Nobody".
fn audience(for_everyone: bool, teams: &[TeamView]) -> String {
    match (for_everyone, teams.is_empty()) {
        (true, _) => "Everyone".into(),
        (false, true) => "Nobody".into(),
        (false, false) => teams
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn state_word(published: bool) -> &'static str {
    if published { "Published" } else { "Draft" }
}

async fn audit(
    tx: &mut Tx,
    actor: &SessionUser,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), AppError> {
    repo::audit::record_with_detail(
        &mut **tx,
        actor.academy_id,
        Some(actor.user.id),
        action,
        target,
        detail,
        now,
    )
    .await?;
    Ok(())
}

/// The chosen teams, all of them teams of this academy (else the field error), by id.
async fn chosen_teams(
    tx: &mut Tx,
    academy_id: AcademyId,
    team_ids: &[TeamId],
) -> Result<Vec<TeamId>, AppError> {
    let found = repo::teams::existing_ids(&mut **tx, academy_id, team_ids).await?;
    if found.len() != team_ids.len() {
        return Err(teams_gone());
    }
    Ok(team_ids.to_vec())
}

pub async fn list(
    state: &AppState,
    actor: &SessionUser,
    q: &ListQuery,
) -> Result<Page<CourseView>, AppError> {
    let search = super::search(&q.search)?;
    let page = q.page.max(1);
    let (rows, total) = repo::courses::page(&state.db.pool, actor.academy_id, search, page).await?;
    let ids: Vec<CourseId> = rows.iter().map(|r| r.id).collect();
    let teams = repo::courses::teams_of(&state.db.pool, actor.academy_id, &ids).await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            let mine = teams
                .iter()
                .filter(|t| t.course_id == row.id)
                .cloned()
                .map(team_view)
                .collect();
            view(row, mine)
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

pub async fn get(
    state: &AppState,
    actor: &SessionUser,
    course_id: CourseId,
) -> Result<CourseView, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    current(&mut conn, actor.academy_id, course_id).await
}

pub async fn team_choices(
    state: &AppState,
    actor: &SessionUser,
) -> Result<Vec<TeamView>, AppError> {
    Ok(repo::teams::list(&state.db.pool, actor.academy_id)
        .await?
        .into_iter()
        .map(|t| TeamView {
            id: t.id,
            name: t.name,
            color: t.color,
        })
        .collect())
}

pub async fn create(
    state: &AppState,
    actor: &SessionUser,
    input: &CourseInput,
) -> Result<CourseView, AppError> {
    let c = check(input)?;
    let key = c.title.key();
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let team_ids = chosen_teams(&mut tx, actor.academy_id, &c.team_ids).await?;
    let id = match repo::courses::insert(
        &mut *tx,
        actor.academy_id,
        &c.fields(&key),
        actor.user.id,
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::conflict("title", title_taken_message(&c.title)));
        }
        Err(e) => return Err(e.into()),
    };
    repo::courses::set_teams(&mut tx, actor.academy_id, id, &team_ids).await?;
    let course = current(&mut tx, actor.academy_id, id).await?;
    let title = c.title.as_str();
    audit(
        &mut tx,
        actor,
        "course.created",
        title,
        state_word(c.published),
        now,
    )
    .await?;
    if course.for_everyone || !course.teams.is_empty() {
        let to = audience(course.for_everyone, &course.teams);
        audit(&mut tx, actor, "course.assigned", title, &to, now).await?;
    }
    tx.commit().await?;
    Ok(course)
}

/// Saves the course form: title, description, published and who it is for. Nothing is written (and
/// nothing audited) when nothing changed.
pub async fn update(
    state: &AppState,
    actor: &SessionUser,
    course_id: CourseId,
    input: &CourseInput,
) -> Result<CourseView, AppError> {
    let c = check(input)?;
    let key = c.title.key();
    let now = now_ms();
    let mut tx = state.db.write().await?;
    repo::courses::lock(&mut *tx, actor.academy_id, course_id)
        .await?
        .ok_or_else(gone)?;
    let before = current(&mut tx, actor.academy_id, course_id).await?;
    let team_ids = chosen_teams(&mut tx, actor.academy_id, &c.team_ids).await?;
    let mut changes = vec![];
    if before.title != c.title.as_str() {
        changes.push(format!("title: {} → {}", before.title, c.title));
    }
    if before.description != c.description.as_str() {
        changes.push("description".to_owned());
    }
    if before.published != c.published {
        changes.push(format!(
            "{} → {}",
            state_word(before.published),
            state_word(c.published)
        ));
    }
    let mut before_ids: Vec<TeamId> = before.teams.iter().map(|t| t.id).collect();
    before_ids.sort_unstable();
    let reassigned = before.for_everyone != c.for_everyone || before_ids != team_ids;
    if changes.is_empty() && !reassigned {
        return Ok(before);
    }
    match repo::courses::update(&mut *tx, actor.academy_id, course_id, &c.fields(&key), now).await {
        Ok(true) => {}
        Ok(false) => return Err(gone()),
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::conflict("title", title_taken_message(&c.title)));
        }
        Err(e) => return Err(e.into()),
    }
    if reassigned {
        repo::courses::set_teams(&mut tx, actor.academy_id, course_id, &team_ids).await?;
    }
    let after = current(&mut tx, actor.academy_id, course_id).await?;
    if !changes.is_empty() {
        let detail = changes.join("; ");
        audit(&mut tx, actor, "course.updated", &after.title, &detail, now).await?;
    }
    if reassigned {
        let detail = format!(
            "{} → {}",
            audience(before.for_everyone, &before.teams),
            audience(after.for_everyone, &after.teams)
        );
        audit(
            &mut tx,
            actor,
            "course.assigned",
            &after.title,
            &detail,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// "Publish" / "Unpublish": a no-op (and no audit row) when the course already is so.
pub async fn set_published(
    state: &AppState,
    actor: &SessionUser,
    course_id: CourseId,
    published: bool,
) -> Result<CourseView, AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let row = repo::courses::lock(&mut *tx, actor.academy_id, course_id)
        .await?
        .ok_or_else(gone)?;
    if (row.published != 0) != published {
        repo::courses::set_published(&mut *tx, actor.academy_id, course_id, published, now).await?;
        let action = if published {
            "course.published"
        } else {
            "course.unpublished"
        };
        audit(&mut tx, actor, action, &row.title, "", now).await?;
    }
    let course = current(&mut tx, actor.academy_id, course_id).await?;
    tx.commit().await?;
    Ok(course)
}

pub async fn delete(
    state: &AppState,
    actor: &SessionUser,
    course_id: CourseId,
) -> Result<DeletedCourse, AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    repo::courses::lock(&mut *tx, actor.academy_id, course_id)
        .await?
        .ok_or_else(gone)?;
    let course = current(&mut tx, actor.academy_id, course_id).await?;
    if !repo::courses::delete(&mut tx, actor.academy_id, course_id).await? {
        return Err(gone());
    }
    let detail = format!(
        "{}, for {}",
        state_word(course.published),
        audience(course.for_everyone, &course.teams)
    );
    audit(
        &mut tx,
        actor,
        "course.deleted",
        &course.title,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(DeletedCourse {
        title: course.title,
    })
}

/// The published courses the caller sees: for everyone, or for one of their teams.
pub async fn for_learner(state: &AppState, me: &SessionUser) -> Result<Vec<CourseCard>, AppError> {
    Ok(
        repo::courses::for_learner(&state.db.pool, me.academy_id, me.user.id)
            .await?
            .into_iter()
            .map(|c| CourseCard {
                id: c.id,
                title: c.title,
                description: c.description,
                updated_at: c.updated_at,
            })
            .collect(),
    )
}
