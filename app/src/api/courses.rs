//! Courses: the admin's Courses section (Owners, Administrators and Learner-Admins —
//! `Permission::ManageCourses`) and the learner home's list (`Permission::Learn`). The academy is
//! always the caller's own; a course or team of another academy is "not found".

use leptos::{prelude::*, server_fn::codec::Json};

use crate::domain::CourseId;
#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    error::AppError,
    model::{
        ListQuery, Page, TeamView,
        courses::{CourseCard, CourseInput, CourseView, DeletedCourse},
    },
};

/// A page of the Courses section, by title; `query.search` matches the title.
#[server(prefix = "/api", endpoint = "list_courses", input = Json)]
pub async fn list_courses(query: ListQuery) -> Result<Page<CourseView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::list(&state, &actor, &query).await
}

#[server(prefix = "/api", endpoint = "get_course")]
pub async fn get_course(course_id: CourseId) -> Result<CourseView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::get(&state, &actor, course_id).await
}

/// The academy's teams, for the course form's "Only these teams" picker.
#[server(prefix = "/api", endpoint = "course_team_choices")]
pub async fn course_team_choices() -> Result<Vec<TeamView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::team_choices(&state, &actor).await
}

#[server(prefix = "/api", endpoint = "create_course", input = Json)]
pub async fn create_course(course: CourseInput) -> Result<CourseView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::create(&state, &actor, &course).await
}

/// Changes everything about a course at once (title, description, published, who it is for);
/// returns it as it is now.
#[server(prefix = "/api", endpoint = "update_course", input = Json)]
pub async fn update_course(
    course_id: CourseId,
    course: CourseInput,
) -> Result<CourseView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::update(&state, &actor, course_id, &course).await
}

/// "Publish" / "Unpublish" from the list.
#[server(prefix = "/api", endpoint = "publish_course")]
pub async fn publish_course(course_id: CourseId, published: bool) -> Result<CourseView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::set_published(&state, &actor, course_id, published).await
}

#[server(prefix = "/api", endpoint = "delete_course")]
pub async fn delete_course(course_id: CourseId) -> Result<DeletedCourse, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageCourses).await?;
    services::courses::delete(&state, &actor, course_id).await
}

/// The learner home's courses: the published ones for everyone or for one of the caller's teams.
/// Staff belong to no team, so for them (and in "View as Learner") it is the courses for everyone.
#[server(prefix = "/api", endpoint = "my_courses")]
pub async fn my_courses() -> Result<Vec<CourseCard>, AppError> {
    let state = app_state()?;
    let me = auth::require(&state, Permission::Learn).await?;
    services::courses::for_learner(&state, &me).await
}
