use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{services, state::app_state};
use crate::{
    error::AppError,
    model::{AcademyContext, StartInfo},
};

#[server(prefix = "/api", endpoint = "where_to_start")]
pub async fn where_to_start() -> Result<StartInfo, AppError> {
    let state = app_state()?;
    services::academies::start_info(&state).await
}

/// First-run setup: creates the academy and its Owner, signs the Owner in, returns where to go.
#[server(prefix = "/api", endpoint = "create_first_academy")]
pub async fn create_first_academy(
    academy_name: String,
    slug: String,
    owner_name: String,
    email: String,
    password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    services::academies::admit_setup(&state).await?;
    let input = crate::validate::new_academy(&academy_name, &slug, &owner_name, &email, &password)?;
    let created = services::academies::create(&state, &input, true).await?;
    services::sign_in::start_session(&state, created.academy_id, created.owner_id).await?;
    Ok(crate::server::nav::go(format!(
        "/a/{}/admin/learners",
        created.slug
    )))
}

#[server(prefix = "/api", endpoint = "load_academy")]
pub async fn load_academy(slug: String) -> Result<AcademyContext, AppError> {
    let state = app_state()?;
    services::academies::context(&state, &slug).await
}

/// Signs in to the academy at `slug`; returns where to go next.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(slug: String, email: String, password: String) -> Result<String, AppError> {
    let state = app_state()?;
    services::sign_in::sign_in(&state, &slug, &email, &password)
        .await
        .map(crate::server::nav::go)
}

/// Signs out; returns the academy's sign-in page.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out(slug: String) -> Result<String, AppError> {
    let state = app_state()?;
    services::sign_in::sign_out(&state).await?;
    Ok(crate::server::nav::go(format!(
        "/a/{}/login",
        urlencode_path(&slug)
    )))
}

/// Keeps a user-given slug from turning the returned path into something else.
pub fn urlencode_path(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Turns "View as Learner" on or off for staff; returns where to go (the academy link, or back to admin).
#[server(prefix = "/api", endpoint = "view_as_learner")]
pub async fn view_as_learner(on: bool) -> Result<String, AppError> {
    let state = app_state()?;
    let me = crate::server::auth::require(&state, Permission::ManageSettings).await?;
    let academy = crate::server::repo::academies::by_id(&state.db.pool, me.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?
        .view();
    crate::server::auth::set_view_as_learner_cookie(&state, on);
    Ok(crate::server::nav::go(if on {
        academy.home_path()
    } else {
        academy.admin_path()
    }))
}

/// The signed-in person's teams, for the learner home.
#[server(prefix = "/api", endpoint = "my_teams")]
pub async fn my_teams() -> Result<Vec<crate::model::TeamView>, AppError> {
    let state = app_state()?;
    let me = crate::server::auth::require(&state, Permission::Learn).await?;
    let teams =
        crate::server::repo::teams::of_user(&state.db.pool, me.academy_id, me.user.id).await?;
    Ok(teams
        .into_iter()
        .map(|t| crate::model::TeamView {
            id: t.id,
            name: t.name,
            color: t.color,
        })
        .collect())
}
