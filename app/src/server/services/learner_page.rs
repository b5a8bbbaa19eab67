//! A learner's page: the learner, the invitations sent to their address, what the audit log says
//! about them; and correcting their name and email (a new address is told to both).

use crate::domain::UserId;
use crate::{
    domain::{Email, Permission, names::PersonName},
    error::AppError,
    model::{LearnerView, learner_page::LearnerInfo},
    server::{
        auth::SessionUser,
        db::now_ms,
        repo::{self, users::UserRow},
        state::AppState,
    },
};

/// How many audit entries the page shows (the audit log has the rest).
const ACTIVITY_SHOWN: i64 = 50;

/// The outbox kind of the "your email address changed" messages.
pub const EMAIL_CHANGED: &str = "email_changed";

/// The learner `user_id` of the caller's academy, as the page shows them.
pub async fn details(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
) -> Result<LearnerInfo, AppError> {
    let user = super::learners::learner_in(&state.db.pool, actor.academy_id, user_id).await?;
    let learner = view(state, &user).await?;
    let invitations =
        super::lists::invites_of_person(state, actor.academy_id, &user.email, user.id).await?;
    let activity = if actor.user.role.can(Permission::ViewAuditLog) {
        Some(
            super::audit::about_person(
                state,
                actor.academy_id,
                &user.email,
                user.id,
                ACTIVITY_SHOWN,
            )
            .await?,
        )
    } else {
        None
    };
    Ok(LearnerInfo {
        learner,
        invitations,
        activity,
    })
}

async fn view(state: &AppState, user: &UserRow) -> Result<LearnerView, AppError> {
    let teams =
        super::lists::group(repo::lists::teams_for_users(&state.db.pool, &[user.id]).await?)
            .remove(&user.id)
            .unwrap_or_default();
    Ok(LearnerView {
        id: user.id,
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        role: user.role,
        teams,
        registered_at: user.created_at,
        last_sign_in_at: user.last_sign_in_at,
        status: user.status,
    })
}

/// What an admin typed on the page.
pub struct Change<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
}

/// Corrects the learner's name and email. A new email must be nobody else's here; both the old
/// and the new address are told, and the learner signs in with the new one.
pub async fn update(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
    change: &Change<'_>,
) -> Result<LearnerView, AppError> {
    let first = PersonName::parse_or(change.first_name, "Enter a first name")
        .map_err(|m| AppError::invalid("first_name", m))?;
    let last = if change.last_name.trim().is_empty() {
        String::new()
    } else {
        PersonName::parse(change.last_name)
            .map_err(|m| AppError::invalid("last_name", m))?
            .to_string()
    };
    let email = Email::parse(change.email).map_err(|m| AppError::invalid("email", m))?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user = super::learners::learner_in(&mut *tx, actor.academy_id, user_id).await?;
    let new_email = email.as_str() != user.email;
    if new_email
        && repo::users::by_email(&mut *tx, actor.academy_id, email.as_str())
            .await?
            .is_some()
    {
        return Err(AppError::conflict(
            "email",
            format!("Another person in this academy uses {}.", email.as_str()),
        ));
    }
    repo::users::set_details(
        &mut *tx,
        actor.academy_id,
        user.id,
        first.as_str(),
        &last,
        email.as_str(),
    )
    .await?;
    let mut changes = Vec::new();
    if first.as_str() != user.first_name || last != user.last_name {
        changes.push(format!(
            "name: {} → {}",
            crate::model::full_name(&user.first_name, &user.last_name),
            crate::model::full_name(first.as_str(), &last)
        ));
    }
    if new_email {
        changes.push(format!("email: {} → {}", user.email, email.as_str()));
    }
    if !changes.is_empty() {
        repo::audit::record_with_detail(
            &mut *tx,
            actor.academy_id,
            Some(actor.user.id),
            "learner.updated",
            email.as_str(),
            &changes.join("; "),
            now,
        )
        .await?;
    }
    if new_email {
        let host = state.settings.host();
        for (to, which) in [(user.email.as_str(), "old"), (email.as_str(), "new")] {
            let message_id = format!("email-changed-{}-{now}-{which}@{host}", user.id);
            repo::outbox::enqueue(
                &mut *tx,
                actor.academy_id,
                EMAIL_CHANGED,
                user.id.get(),
                to,
                &message_id,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    if new_email {
        state.outbox_wakeup.notify_one();
    }
    let user = super::learners::learner_in(&state.db.pool, actor.academy_id, user_id).await?;
    view(state, &user).await
}
