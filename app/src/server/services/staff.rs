//! Settings → Admins: who runs the academy (the Owner and Administrators), inviting Administrators
//! through the same invitation machinery as learners, and removing an Administrator.

use std::collections::HashMap;

use crate::domain::{AcademyId, ApiClientId, UserId, WebhookId};
use crate::{
    domain::{
        email::Email,
        invite::{InviteState, Invitee, InviteeInput, Progress},
        names::PersonName,
        role::Role,
    },
    error::AppError,
    model::{
        InviteOutcome, UserView,
        staff::{Integration, IntegrationKind, StaffInvite, StaffMember, StaffOverview},
    },
    server::{
        auth::SessionUser,
        db::{Tx, now_ms},
        repo::{self, academies::AcademyRow, users::UserRow},
        services,
        state::AppState,
    },
    validate::Fields,
};

/// The integrations each person made, by user id.
async fn integrations_by_maker(
    state: &AppState,
    academy_id: AcademyId,
) -> Result<HashMap<UserId, Vec<Integration>>, AppError> {
    let mut by_maker: HashMap<UserId, Vec<Integration>> = HashMap::new();
    for row in repo::staff::integrations(&state.db.pool, academy_id).await? {
        let kind = match row.kind.as_str() {
            "api_client" => IntegrationKind::ApiApplication,
            "webhook" => IntegrationKind::Webhook,
            other => return Err(AppError::internal(format!("integration kind {other:?}"))),
        };
        by_maker
            .entry(row.created_by)
            .or_default()
            .push(Integration {
                kind,
                label: row.label,
            });
    }
    Ok(by_maker)
}

pub async fn overview(state: &AppState, actor: &SessionUser) -> Result<StaffOverview, AppError> {
    let mut made = integrations_by_maker(state, actor.academy_id).await?;
    let members = repo::staff::members(&state.db.pool, actor.academy_id)
        .await?
        .into_iter()
        .map(|u| {
            Ok(StaffMember {
                id: u.id,
                role: u.role,
                since: u.created_at,
                last_sign_in_at: u.last_sign_in_at,
                integrations: made.remove(&u.id).unwrap_or_default(),
                email: u.email,
                first_name: u.first_name,
                last_name: u.last_name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let now = now_ms();
    let invites = repo::staff::pending_invites(&state.db.pool, actor.academy_id)
        .await?
        .into_iter()
        .map(|r| {
            let by = crate::model::full_name(
                r.inviter_first.as_deref().unwrap_or_default(),
                r.inviter_last.as_deref().unwrap_or_default(),
            );
            Ok(StaffInvite {
                id: r.id,
                invited_by: if by.is_empty() { "—".into() } else { by },
                invited_at: r.created_at,
                expires_at: r.expires_at,
                email_status: r.email_status,
                email_error: r.email_error,
                progress: Progress::of(InviteState::Pending, r.expires_at, now),
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(StaffOverview { members, invites })
}

/// The form's fields, each with its own message.
fn parse_person(input: &InviteeInput) -> Result<Invitee, AppError> {
    let mut f = Fields::default();
    let email = f.check("email", Email::parse(&input.email));
    let first = f.check(
        "first_name",
        PersonName::parse_or(&input.first_name, "Enter a first name"),
    );
    let last = if input.last_name.trim().is_empty() {
        Some(String::new())
    } else {
        f.check(
            "last_name",
            PersonName::parse(&input.last_name).map(|n| n.as_str().to_string()),
        )
    };
    f.finish()?;
    match (email, first, last) {
        (Some(email), Some(first_name), Some(last_name)) => Ok(Invitee {
            email,
            first_name,
            last_name,
        }),
        _ => unreachable!("every field parsed when no field error was collected"),
    }
}

/// Invites one person to become an Administrator; the invitation email goes out at once.
pub async fn invite(
    state: &AppState,
    actor: &SessionUser,
    academy: &AcademyRow,
    input: &InviteeInput,
) -> Result<InviteOutcome, AppError> {
    let person = parse_person(input)?;
    services::invites::invite_admin(state, actor, academy, &person).await
}

/// Removes an Administrator: their account, sessions (signed out at once) and team places go; the
/// invitations and audit rows they made keep their history. With `revoke_integrations`, the API
/// applications they made are revoked (their tokens stop working at once) and their webhooks
/// deleted, in the same transaction; without it those keep working, their maker unknown from then
/// on. Only the Owner removes Administrators (`Permission::RemoveStaff`, checked by the server
/// function); the Owner is never removed, and nobody removes themselves.
pub async fn remove(
    state: &AppState,
    actor: &SessionUser,
    user_id: UserId,
    revoke_integrations: bool,
) -> Result<UserView, AppError> {
    if user_id == actor.user.id {
        return Err(AppError::Forbidden(
            "You can't remove yourself from the academy.".into(),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user = repo::users::by_id(&mut *tx, actor.academy_id, user_id)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(
                "This administrator is no longer in the academy. Reload the page to see the current list."
                    .into(),
            )
        })?;
    match user.role {
        Role::Admin => {}
        Role::Owner => {
            return Err(AppError::Forbidden(
                "The academy's Owner can't be removed.".into(),
            ));
        }
        _ => {
            return Err(AppError::Forbidden(format!(
                "{} is not an administrator; learners are managed in Learners & Teams.",
                user.email
            )));
        }
    }
    if revoke_integrations {
        // Before the account goes: deleting it forgets who made what (`created_by` is set to NULL).
        revoke_integrations_of(&mut tx, actor, &user, now).await?;
    }
    if !repo::users::delete(&mut tx, actor.academy_id, user.id).await? {
        return Err(AppError::NotFound(
            "This administrator is no longer in the academy.".into(),
        ));
    }
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "admin.removed",
        &user.email,
        user.role.as_str(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user.view())
}

/// Revokes the API applications and deletes the webhooks `user` made, audited as done by `actor`
/// because of the removal.
async fn revoke_integrations_of(
    tx: &mut Tx,
    actor: &SessionUser,
    user: &UserRow,
    now: i64,
) -> Result<(), AppError> {
    let why = format!(" with the removal of {}", user.email);
    for row in repo::staff::integrations(&mut **tx, actor.academy_id).await? {
        if row.created_by != user.id {
            continue;
        }
        match row.kind.as_str() {
            "api_client" => {
                let id = ApiClientId::new(row.id);
                services::api_clients::revoke_in(tx, actor, id, &row.label, &why, now).await?;
            }
            _ => {
                let id = WebhookId::new(row.id);
                if let Some(w) = repo::webhooks::by_id(&mut **tx, actor.academy_id, id).await? {
                    services::webhooks::delete_in(tx, actor, &w, Some(why.trim_start()), now)
                        .await?;
                }
            }
        }
    }
    Ok(())
}
