//! The academy's own settings, changed from Settings: the plan (only the Owner may change it) and
//! the invitation lifecycle and the invitation's default personal message.

use crate::{
    domain::{
        invite::InviteLifecycle,
        invite_message::PersonalMessage,
        role::{Plan, Role},
    },
    error::AppError,
    server::{auth::SessionUser, db::now_ms, repo, state::AppState},
};

/// Why the academy cannot move to `plan` while `users` people (and `invites` pending invitations)
/// have `role`, which that plan does not offer.
fn blocked_message(plan: Plan, role: Role, users: i64, invites: i64) -> String {
    let mut steps = Vec::new();
    if users > 0 {
        steps.push(format!(
            "{} must change role first (Learners & Teams → All Learners)",
            crate::format::count(users, role.label(), &format!("{}s", role.label()))
        ));
    }
    if invites > 0 {
        steps.push(format!(
            "{} as {} must be revoked first (Learners & Teams → Invites)",
            crate::format::count(invites, "pending invitation", "pending invitations"),
            role.label()
        ));
    }
    format!(
        "The {} plan has no {}: {}.",
        plan.label(),
        role.label(),
        steps.join(", and ")
    )
}

/// Switches the academy to `plan`. Refused while anyone holds, or is invited with, a role the new plan
/// does not offer — the plan never leaves a role in use that it does not allow.
pub async fn change_plan(
    state: &AppState,
    actor: &SessionUser,
    plan: Plan,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let current = repo::academies::lock_plan(&mut *tx, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if current == plan {
        return Ok(());
    }
    for role in Role::ALL {
        if plan.allows(role) {
            continue;
        }
        let users = repo::users::count_with_role(&mut *tx, actor.academy_id, role).await?;
        let invites =
            repo::academies::pending_invites_with_role(&mut *tx, actor.academy_id, role, now)
                .await?;
        if users > 0 || invites > 0 {
            return Err(AppError::conflict(
                "plan",
                blocked_message(plan, role, users, invites),
            ));
        }
    }
    repo::academies::set_plan(&mut *tx, actor.academy_id, plan).await?;
    let slug = repo::academies::by_id(&mut *tx, actor.academy_id)
        .await?
        .map(|a| a.slug)
        .unwrap_or_default();
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "academy.plan_changed",
        &slug,
        &format!("{} → {}", current.as_str(), plan.as_str()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Settings → Invitations. New links follow it; links already sent keep their expiry.
pub async fn set_invite_lifecycle(
    state: &AppState,
    actor: &SessionUser,
    lifecycle: InviteLifecycle,
) -> Result<(), AppError> {
    let lifecycle = lifecycle
        .check()
        .map_err(|(field, message)| AppError::invalid(field, message))?;
    let mut tx = state.db.write().await?;
    repo::academies::set_lifecycle(&mut *tx, actor.academy_id, lifecycle).await?;
    let reminder = match lifecycle.reminder_days {
        Some(days) => format!("reminder {days} days before"),
        None => "no reminder".into(),
    };
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "academy.invite_lifecycle_changed",
        "",
        &format!("links {}, {reminder}", lifecycle.link_lifetime()),
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Settings → Invitations: the personal message every invite dialog starts with ('' none).
pub async fn set_invite_message(
    state: &AppState,
    actor: &SessionUser,
    raw: &str,
) -> Result<(), AppError> {
    let message = PersonalMessage::parse(raw).map_err(|why| AppError::invalid("message", why))?;
    let mut tx = state.db.write().await?;
    repo::academies::set_invite_message(&mut *tx, actor.academy_id, &message).await?;
    let detail = if message.is_empty() {
        "no default message".to_string()
    } else {
        format!("{} characters", message.as_str().chars().count())
    };
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "academy.invite_message_changed",
        "",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_says_how_many_must_change_and_where() {
        let cases = [
            (
                1,
                0,
                "The Starter plan has no Learner-Admin: 1 Learner-Admin must change role first \
                 (Learners & Teams → All Learners).",
            ),
            (
                3,
                0,
                "The Starter plan has no Learner-Admin: 3 Learner-Admins must change role first \
                 (Learners & Teams → All Learners).",
            ),
            (
                0,
                2,
                "The Starter plan has no Learner-Admin: 2 pending invitations as Learner-Admin \
                 must be revoked first (Learners & Teams → Invites).",
            ),
            (
                2,
                1,
                "The Starter plan has no Learner-Admin: 2 Learner-Admins must change role first \
                 (Learners & Teams → All Learners), and 1 pending invitation as Learner-Admin must \
                 be revoked first (Learners & Teams → Invites).",
            ),
        ];
        for (users, invites, expected) in cases {
            assert_eq!(
                blocked_message(Plan::Starter, Role::LearnerAdmin, users, invites),
                expected,
                "{users} users, {invites} invites"
            );
        }
    }
}
