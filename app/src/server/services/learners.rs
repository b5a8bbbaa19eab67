//! The All Learners tab's actions: changing a learner's role and removing a learner from the academy.
//! Staff (Owner, Administrator) are out of reach here; they are managed in Settings → Admins.

use crate::domain::{AcademyId, UserId};
use crate::{
    domain::{account::AccountStatus, role::Role},
    error::AppError,
    model::UserView,
    server::{
        auth::SessionUser,
        db::now_ms,
        repo::{self, users::UserRow},
        state::AppState,
    },
};

pub const STAFF_ELSEWHERE: &str = "Staff are managed in Settings → Admins.";

/// What a removed learner is called where their name and email were: "removed learner #42".
pub fn removed_label(user_id: UserId) -> String {
    format!("removed learner #{user_id}")
}

/// The learner `user_id` of the caller's academy. Someone of another academy is "not found" exactly
/// like someone who does not exist, so ids reveal nothing about other academies.
pub(crate) async fn learner_in<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    academy_id: AcademyId,
    user_id: UserId,
) -> Result<UserRow, AppError> {
    let user = repo::users::by_id(ex, academy_id, user_id)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(
                "This learner is no longer in the academy. Reload the page to see the current list."
                    .into(),
            )
        })?;
    if user.role.is_staff() {
        return Err(AppError::Forbidden(STAFF_ELSEWHERE.into()));
    }
    Ok(user)
}

/// Gives a learner another learner role (Learner, Learner-Analyst, Learner-Admin), if the academy's
/// plan offers it. Returns the learner as they are now.
pub async fn change_role(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
    role: Role,
) -> Result<UserView, AppError> {
    if role.is_staff() {
        return Err(AppError::invalid("role", STAFF_ELSEWHERE));
    }
    if user_id == actor.user.id {
        return Err(AppError::Forbidden(
            "You can't change your own role; ask another administrator.".into(),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user = learner_in(&mut *tx, actor.academy_id, user_id).await?;
    let plan = repo::academies::lock_plan(&mut *tx, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if let Some(reason) = plan.unavailable_reason(role) {
        return Err(AppError::invalid("role", reason));
    }
    let old = user.role;
    if old != role {
        repo::users::set_role(&mut *tx, actor.academy_id, user.id, role).await?;
        repo::audit::record_with_detail(
            &mut *tx,
            actor.academy_id,
            Some(actor.user.id),
            "learner.role_changed",
            &user.email,
            &format!("{} → {}", old.as_str(), role.as_str()),
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(UserView {
        role,
        ..user.view()
    })
}

/// Removes a learner from the academy, for erasure: their account, sessions (they are signed out at
/// once) and team memberships go, and their name and email are erased from invitations, uploaded
/// rows and the audit log, which keep their counts and history as "removed learner #id". Returns
/// who was removed. ("Revoke access" is the reversible way to cut someone off.)
pub async fn remove(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
) -> Result<UserView, AppError> {
    if user_id == actor.user.id {
        return Err(AppError::Forbidden(
            "You can't remove yourself from the academy.".into(),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user = learner_in(&mut *tx, actor.academy_id, user_id).await?;
    if !repo::users::delete(&mut tx, actor.academy_id, user.id).await? {
        return Err(AppError::NotFound(
            "This learner is no longer in the academy.".into(),
        ));
    }
    let label = removed_label(user.id);
    repo::users::erase_person(&mut tx, actor.academy_id, &user.email, &label).await?;
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "learner.removed",
        &label,
        user.role.as_str(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user.view())
}

/// "Revoke access" (`Deactivated`) or gives it back (`Active`). A deactivated learner keeps their
/// account, teams and history; they are signed out at once everywhere, and signing in, a password
/// reset and an invitation link for their address stop working until access is given back.
/// Returns the learner as they are now.
pub async fn set_access(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
    status: AccountStatus,
) -> Result<UserView, AppError> {
    if user_id == actor.user.id {
        return Err(AppError::Forbidden(
            "You can't revoke your own access; ask another administrator.".into(),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user = learner_in(&mut *tx, actor.academy_id, user_id).await?;
    let old: AccountStatus = user.status;
    if old != status {
        repo::users::set_status(&mut *tx, actor.academy_id, user.id, status).await?;
        if status == AccountStatus::Deactivated {
            repo::sessions::end_sessions(&mut *tx, user.id, None).await?;
        }
        let action = match status {
            AccountStatus::Deactivated => "learner.deactivated",
            AccountStatus::Active => "learner.reactivated",
        };
        repo::audit::record_with_detail(
            &mut *tx,
            actor.academy_id,
            Some(actor.user.id),
            action,
            &user.email,
            user.role.as_str(),
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(user.view())
}
