//! Creating academies (first-run setup and the CLI) and describing one to its visitors.

use crate::domain::{AcademyId, UserId};
use crate::{
    domain::role::{Plan, Role},
    error::AppError,
    model::{AcademyContext, StartInfo, Viewer},
    server::{
        auth::{self, Session},
        db::{is_unique_violation, now_ms},
        repo::{self, academies::AcademyRow, users::NewUser},
        state::AppState,
    },
    validate::NewAcademy,
};

pub struct Created {
    pub academy_id: AcademyId,
    pub owner_id: UserId,
    pub slug: String,
}

/// First-run setup attempts per client (the form is public while no academy exists).
pub const SETUP_LIMIT: crate::server::rate_limit::Limit = crate::server::rate_limit::Limit {
    max: 10,
    window_ms: 10 * 60 * 1000,
};

fn already_set_up() -> AppError {
    AppError::Forbidden(
        "This Shoal already has an academy. Sign in at its link, or ask the server's operator to add one with `shoal academy create`.".into(),
    )
}

/// The first-run setup form's gate, asked before anything else: once an academy exists the answer
/// costs one read (no hash, no write, no limiter row), so nobody can keep a running server busy
/// with it; before that, each client has `SETUP_LIMIT` tries.
pub async fn admit_setup(state: &AppState) -> Result<(), AppError> {
    if repo::academies::count(&state.db.pool).await? > 0 {
        return Err(already_set_up());
    }
    crate::server::rate_limit::hit(
        &state.db,
        &format!("setup-ip:{}", auth::client_ip()),
        SETUP_LIMIT,
        "setup attempts",
    )
    .await?;
    Ok(())
}

/// Creates an academy and its Owner in one transaction. With `only_if_first`, refuses when any academy
/// exists: the web setup form must not let a stranger create academies on a running server.
pub async fn create(
    state: &AppState,
    input: &NewAcademy,
    only_if_first: bool,
) -> Result<Created, AppError> {
    let password_hash = state.hasher.hash(&input.owner_password).await?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if only_if_first && state.db.backend == crate::server::db::Backend::Postgres {
        // SQLite's BEGIN IMMEDIATE already serialises this; PostgreSQL needs the lock to keep
        // two simultaneous setups from both seeing an empty server.
        sqlx::query("LOCK TABLE academies IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    if only_if_first && repo::academies::count(&mut *tx).await? > 0 {
        return Err(already_set_up());
    }
    let slug = input.slug.as_str();
    let academy_id = match repo::academies::insert(
        &mut *tx,
        slug,
        input.name.as_str(),
        Plan::Starter,
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::conflict(
                "slug",
                format!("The address /a/{slug} is already taken. Choose another."),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let owner_id = repo::users::insert(
        &mut *tx,
        &NewUser {
            academy_id,
            email: input.owner_email.as_str(),
            first_name: input.owner_first_name.as_str(),
            last_name: &input.owner_last_name,
            role: Role::Owner,
            password_hash: &password_hash,
        },
        now,
    )
    .await?;
    repo::audit::record(
        &mut *tx,
        academy_id,
        Some(owner_id),
        "academy.created",
        slug,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(academy_id = academy_id.get(), slug, "academy created");
    Ok(Created {
        academy_id,
        owner_id,
        slug: slug.to_string(),
    })
}

/// What `/` does: set up, or go to the visitor's academy (else the first one).
pub async fn start_info(state: &AppState) -> Result<StartInfo, AppError> {
    if let Session::Active(s) = auth::current(state).await?
        && let Some(a) = repo::academies::by_id(&state.db.pool, s.academy_id).await?
    {
        return Ok(StartInfo::GoTo(a.view().home_path()));
    }
    if repo::academies::count(&state.db.pool).await? > 1 {
        let public = repo::academies::public_ones(&state.db.pool, LISTED_AT_START)
            .await?
            .into_iter()
            .map(|a| {
                let a = a.view();
                Ok((a.name.clone(), a.home_path()))
            })
            .collect::<Result<_, AppError>>()?;
        return Ok(StartInfo::Several {
            base_url: state.settings.base_url.clone(),
            public,
        });
    }
    match repo::academies::first(&state.db.pool).await? {
        Some(a) => Ok(StartInfo::GoTo(a.view().home_path())),
        None => Ok(StartInfo::NeedsSetup {
            base_url: state.settings.base_url.clone(),
        }),
    }
}

/// How many public academies `/` lists on a server with several.
const LISTED_AT_START: i64 = 50;

/// The academy at `slug`, or "not found" in the words every page and call uses.
pub async fn by_slug(state: &AppState, slug: &str) -> Result<AcademyRow, AppError> {
    repo::academies::by_slug(&state.db.pool, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no academy at /a/{slug}.")))
}

/// The academy at `slug` and who is looking at it. A session of another academy counts as signed out here.
pub async fn context(state: &AppState, slug: &str) -> Result<AcademyContext, AppError> {
    let academy = by_slug(state, slug).await?;
    let viewer = match auth::current(state).await? {
        Session::Active(s) if s.academy_id == academy.id => Viewer::User(s.user.view()),
        Session::Active(_) | Session::None => Viewer::SignedOut,
        Session::Expired => Viewer::SessionExpired,
    };
    let viewing_as_learner =
        matches!(&viewer, Viewer::User(u) if u.role.is_staff()) && auth::viewing_as_learner(state);
    Ok(AcademyContext {
        academy: academy.view(),
        viewer,
        viewing_as_learner,
        base_url: state.settings.base_url.clone(),
    })
}
