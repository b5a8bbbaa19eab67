//! Inviting people and renewing, revoking and resending invitations. The form, CSV imports, teams
//! and the API all come through `invite`, so one rule holds everywhere.

use std::collections::HashSet;

use crate::domain::{AcademyId, InviteId, InviteTokenId, TeamId, UserId};
use crate::{
    domain::{
        invite::{EmailStatus, InviteSource, Invitee, InviteeInput, LineOutcome, MAX_FORM_ROWS},
        invite_message::PersonalMessage,
        role::{LEARNER_ROLES, Role},
    },
    error::AppError,
    model::{InviteOutcome, InviteResult},
    server::{
        auth::SessionUser,
        db::{Tx, now_ms},
        repo::{self, academies::AcademyRow, imports::LineRow},
        services::{
            imports::Importer,
            invite_batch::{Chunk, carry_out, invalid_line, outcome_of},
        },
        state::AppState,
        tokens,
    },
};

pub struct InviteRequest {
    pub people: Vec<InviteeInput>,
    pub role: Role,
    pub team_ids: Vec<TeamId>,
    pub send_email: bool,
    pub source: InviteSource,
    /// The batch's personal message as typed; `None`: the academy's default.
    pub message: Option<String>,
}

/// The personal message a batch's emails carry: its own words, or the academy's default (Settings →
/// Invitations) when it gives none.
pub(crate) fn message_of(
    academy: &AcademyRow,
    typed: Option<&str>,
) -> Result<PersonalMessage, AppError> {
    match typed {
        Some(raw) => PersonalMessage::parse(raw).map_err(|why| AppError::invalid("message", why)),
        None => Ok(academy.invite_message()),
    }
}

/// When a link of the academy made at `now` expires (Settings → Invitations).
pub(crate) async fn expiry_from<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    academy_id: AcademyId,
    now: i64,
) -> Result<i64, AppError> {
    Ok(repo::academies::lifecycle(ex, academy_id)
        .await?
        .expires_at(now))
}

/// Checks what applies to a whole request whatever its size: the role (and the academy's plan) and
/// the teams (all of this academy). Returns the teams, sorted and without repeats.
pub(crate) async fn check_role_and_teams(
    state: &AppState,
    academy: &AcademyRow,
    role: Role,
    team_ids: &[TeamId],
) -> Result<Vec<TeamId>, AppError> {
    if !LEARNER_ROLES.contains(&role) {
        return Err(AppError::invalid(
            "role",
            "Invite learners as Learner, Learner-Analyst or Learner-Admin.",
        ));
    }
    let plan = academy.plan;
    if let Some(reason) = plan.unavailable_reason(role) {
        return Err(AppError::invalid("role", reason));
    }
    let mut team_ids = team_ids.to_vec();
    team_ids.sort_unstable();
    team_ids.dedup();
    let found = repo::teams::existing_ids(&state.db.pool, academy.id, &team_ids).await?;
    if found.len() != team_ids.len() {
        return Err(AppError::invalid(
            "teams",
            "One of the chosen teams no longer exists. Reload the page and choose again.",
        ));
    }
    Ok(team_ids)
}

/// Checks what applies to the whole request: the role (and the plan), the teams, the size.
async fn check_request(
    state: &AppState,
    academy: &AcademyRow,
    req: &InviteRequest,
    max_rows: usize,
) -> Result<Vec<TeamId>, AppError> {
    let team_ids = check_role_and_teams(state, academy, req.role, &req.team_ids).await?;
    if req.people.is_empty() {
        return Err(AppError::invalid(
            "people",
            "Add at least one person to invite.",
        ));
    }
    if req.people.len() > max_rows {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {max_rows} people per invitation; use \"Upload CSV File\" for more."
        )));
    }
    Ok(team_ids)
}

/// Invites everyone in `req`; every person gets a result, and one bad row never blocks the others.
pub async fn invite(
    state: &AppState,
    actor: &SessionUser,
    academy: &AcademyRow,
    req: &InviteRequest,
) -> Result<Vec<InviteResult>, AppError> {
    let team_ids = check_request(state, academy, req, MAX_FORM_ROWS).await?;
    let how = Batch {
        role: req.role,
        source: req.source,
        send_email: req.send_email,
        team_ids,
        message: message_of(academy, req.message.as_deref())?,
    };
    invite_people(state, actor.user.id, academy.id, &req.people, how).await
}

/// Invites one person to become an Administrator (Settings → Admins): the same invitation, link and
/// email as a learner's, with no teams. Learner paths never get here (`check_role_and_teams` refuses
/// staff roles); nobody is ever invited as Owner. A refusal is the answer's error, on the email field.
pub async fn invite_admin(
    state: &AppState,
    actor: &SessionUser,
    academy: &AcademyRow,
    person: &Invitee,
) -> Result<InviteOutcome, AppError> {
    let input = InviteeInput {
        email: person.email.as_str().to_string(),
        first_name: person.first_name.as_str().to_string(),
        last_name: person.last_name.clone(),
    };
    let how = Batch {
        role: Role::Admin,
        source: InviteSource::Form,
        send_email: true,
        team_ids: vec![],
        // The academy's default message speaks to learners; an administrator's invitation has none.
        message: PersonalMessage::default(),
    };
    let result = invite_people(state, actor.user.id, academy.id, &[input], how)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("an invitation of one person gave no result"))?;
    match result.outcome {
        InviteOutcome::Invalid { message } => Err(AppError::conflict("email", message)),
        outcome => Ok(outcome),
    }
}

/// How the people of one request are invited.
struct Batch {
    role: Role,
    source: InviteSource,
    send_email: bool,
    team_ids: Vec<TeamId>,
    message: PersonalMessage,
}

/// The people of one request, in one transaction through the batched path every way of inviting
/// shares (`invite_batch`): each person is checked (parsed; not twice in the list), decided and
/// carried out, and gets an audit entry of their own. Results in the order of `people`.
async fn invite_people(
    state: &AppState,
    actor_id: UserId,
    academy_id: AcademyId,
    people: &[InviteeInput],
    how: Batch,
) -> Result<Vec<InviteResult>, AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let chunk = Chunk {
        by: Importer {
            academy_id,
            user_id: Some(actor_id),
            api_client_id: None,
        },
        role: how.role,
        source: how.source,
        send_email: how.send_email,
        team_ids: how.team_ids,
        message: how.message,
        expires_at: expiry_from(&mut *tx, academy_id, now).await?,
        now,
    };
    let mut results = Vec::with_capacity(people.len());
    let mut valid = Vec::with_capacity(people.len());
    let mut seen = HashSet::new();
    for (i, person) in people.iter().enumerate() {
        let line = i as i64;
        match person.parse() {
            Err(why) => results.push(invalid_line(line, person, why)),
            Ok(p) if !seen.insert(p.email.as_str().to_string()) => {
                let why = "This address is already in the list above.".to_string();
                results.push(invalid_line(line, person, why));
            }
            Ok(p) => valid.push((line, p, person)),
        }
    }
    carry_out(state, &mut tx, &chunk, None, valid, &mut results).await?;
    results.sort_by_key(|r| r.line);
    for r in &results {
        if let Some(action) = audit_action(chunk.role, r) {
            repo::audit::record(&mut *tx, academy_id, Some(actor_id), action, &r.email, now)
                .await?;
        }
    }
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    results
        .iter()
        .map(|r| {
            Ok(InviteResult {
                email: people[r.line as usize].email.trim().to_string(),
                outcome: outcome_of(r)?,
            })
        })
        .collect()
}

/// The audit entry of one person of the form (an upload's chunk has one entry for all its lines).
fn audit_action(role: Role, line: &LineRow) -> Option<&'static str> {
    let staff = role.is_staff();
    match line.outcome {
        LineOutcome::Invited if staff => Some("admin.invited"),
        LineOutcome::Invited => Some("invite.created"),
        LineOutcome::AlreadyInvited if staff => Some("admin.invite_renewed"),
        LineOutcome::AlreadyInvited => Some("invite.renewed"),
        LineOutcome::AlreadyLearner if line.added_to_teams > 0 => Some("learner.added_to_teams"),
        LineOutcome::AlreadyLearner | LineOutcome::Invalid => None,
    }
}

/// The invite a link is issued for.
#[derive(Clone, Copy)]
pub(crate) struct NewLink<'a> {
    pub academy_id: AcademyId,
    pub invite_id: InviteId,
    pub email: &'a str,
    pub expires_at: i64,
    pub now: i64,
}

/// The Message-ID of an invitation email: stable for one link, across retries.
pub(crate) fn invite_message_id(
    state: &AppState,
    invite_id: InviteId,
    token_id: InviteTokenId,
) -> String {
    format!("invite-{invite_id}-{token_id}@{}", state.settings.host())
}

/// A new link for the invite (older links keep working until their own expiry; only a salt and a
/// keyed hash are stored) and, when asked, its email in the outbox — in the caller's transaction.
pub(crate) async fn issue_link(
    state: &AppState,
    tx: &mut Tx,
    link: &NewLink<'_>,
    send_email: bool,
) -> Result<(), AppError> {
    let NewLink {
        academy_id,
        invite_id,
        expires_at,
        now,
        ..
    } = *link;
    let (salt, hash) = tokens::new_derived(&state.settings.secret);
    let token_id = repo::invites::insert_token(
        &mut **tx, academy_id, invite_id, &salt, &hash, now, expires_at,
    )
    .await?;
    if send_email {
        queue_email(state, tx, link, token_id).await?;
    }
    Ok(())
}

/// A renewal this soon after the invitation's latest link was made keeps that link: inviting the
/// same address again from the form, a CSV file or the API (fifty times in a burst, say) sends one
/// email, and every link handed out meanwhile keeps working.
pub const RENEWAL_QUIET_MS: i64 = 5 * 60 * 1000;

/// The link of a renewed invitation (in the caller's transaction, after its row was updated):
/// its latest link when that is younger than `RENEWAL_QUIET_MS` — its expiry moved along with the
/// invitation's, its email queued only if it never was — otherwise a new one (`issue_link`).
pub(crate) async fn renew_link(
    state: &AppState,
    tx: &mut Tx,
    link: &NewLink<'_>,
    send_email: bool,
) -> Result<(), AppError> {
    let latest = repo::invites::latest_token(&mut **tx, link.invite_id).await?;
    let Some(latest) =
        latest.filter(|t| t.created_at > link.now - RENEWAL_QUIET_MS && t.expires_at > link.now)
    else {
        return issue_link(state, tx, link, send_email).await;
    };
    repo::invites::extend_token(&mut **tx, latest.id, link.expires_at).await?;
    if send_email && !repo::outbox::exists(&mut **tx, "invite", latest.id.get()).await? {
        queue_email(state, tx, link, latest.id).await?;
    }
    Ok(())
}

/// The invitation email for link `token_id`, in the outbox.
async fn queue_email(
    state: &AppState,
    tx: &mut Tx,
    link: &NewLink<'_>,
    token_id: InviteTokenId,
) -> Result<(), AppError> {
    let message_id = invite_message_id(state, link.invite_id, token_id);
    repo::outbox::enqueue(
        &mut **tx,
        link.academy_id,
        "invite",
        token_id.get(),
        link.email,
        &message_id,
        link.now,
    )
    .await?;
    repo::invites::set_email_status(
        &mut **tx,
        link.invite_id,
        EmailStatus::Queued.as_str(),
        None,
    )
    .await?;
    Ok(())
}

/// A pending invitation to a learner role (`staff` false) or to a staff role (`staff` true): the
/// learners' Invites tab never reaches an administrator's invitation, nor Settings → Admins a
/// learner's.
async fn pending_invite(
    state: &AppState,
    academy_id: AcademyId,
    invite_id: InviteId,
    staff: bool,
) -> Result<repo::invites::InviteRow, AppError> {
    let invite = repo::invites::by_id(&state.db.pool, academy_id, invite_id)
        .await?
        .filter(|i| i.role.is_staff() == staff)
        .ok_or_else(|| AppError::NotFound("This invitation does not exist.".into()))?;
    match not_pending(&invite) {
        None => Ok(invite),
        Some(message) => Err(AppError::Conflict {
            message,
            field: None,
        }),
    }
}

/// Why an invitation can no longer be resent or revoked; `None` while it is pending.
pub(crate) fn not_pending(invite: &repo::invites::InviteRow) -> Option<String> {
    match invite.status.as_str() {
        "pending" => None,
        "accepted" => Some(format!(
            "{} has already accepted this invitation.",
            invite.email
        )),
        _ => Some("This invitation was revoked. Invite the person again instead.".into()),
    }
}

/// Sends the invitation again with a fresh link and a new expiry; older links keep working until
/// their own expiry.
pub async fn resend(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
) -> Result<(), AppError> {
    resend_invite(state, actor, invite_id, false).await
}

/// `resend` for an invitation to become an administrator (Settings → Admins).
pub async fn resend_admin(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
) -> Result<(), AppError> {
    resend_invite(state, actor, invite_id, true).await
}

async fn resend_invite(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
    staff: bool,
) -> Result<(), AppError> {
    let invite = pending_invite(state, actor.academy_id, invite_id, staff).await?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    send_again(state, &mut tx, &invite, now).await?;
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        if staff {
            "admin.invite_resent"
        } else {
            "invite.resent"
        },
        &invite.email,
        now,
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}

/// A pending invitation sent again, in the caller's transaction: a fresh link and expiry, its email
/// in the outbox (the caller wakes the outbox after committing).
pub(crate) async fn send_again(
    state: &AppState,
    tx: &mut Tx,
    invite: &repo::invites::InviteRow,
    now: i64,
) -> Result<(), AppError> {
    let expires_at = expiry_from(&mut **tx, invite.academy_id, now).await?;
    repo::invites::extend(&mut **tx, invite.id, expires_at, now).await?;
    let link = NewLink {
        academy_id: invite.academy_id,
        invite_id: invite.id,
        email: &invite.email,
        expires_at,
        now,
    };
    issue_link(state, tx, &link, true).await
}

pub async fn revoke(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
) -> Result<(), AppError> {
    revoke_invite(state, actor, invite_id, false).await
}

/// `revoke` for an invitation to become an administrator (Settings → Admins).
pub async fn revoke_admin(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
) -> Result<(), AppError> {
    revoke_invite(state, actor, invite_id, true).await
}

async fn revoke_invite(
    state: &AppState,
    actor: &SessionUser,
    invite_id: InviteId,
    staff: bool,
) -> Result<(), AppError> {
    let invite = pending_invite(state, actor.academy_id, invite_id, staff).await?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if !repo::invites::revoke(&mut *tx, actor.academy_id, invite.id, now).await? {
        return Err(AppError::Conflict {
            message: "This invitation changed meanwhile; reload the page.".into(),
            field: None,
        });
    }
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        if staff {
            "admin.invite_revoked"
        } else {
            "invite.revoked"
        },
        &invite.email,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The newest working link of a pending invitation, for the admin to send another way.
pub async fn link(
    state: &AppState,
    actor: &SessionUser,
    slug: &str,
    invite_id: InviteId,
) -> Result<String, AppError> {
    let invite = pending_invite(state, actor.academy_id, invite_id, false).await?;
    let token = repo::invites::latest_token(&state.db.pool, invite.id)
        .await?
        .filter(|t| t.expires_at > now_ms())
        .ok_or_else(|| AppError::Conflict {
            message: "This invitation has expired. Use Resend to make a new link.".into(),
            field: None,
        })?;
    Ok(join_link(state, slug, &token.salt))
}

pub fn join_link(state: &AppState, slug: &str, salt: &str) -> String {
    let token = tokens::derive_token(&state.settings.secret, salt);
    state.settings.link(&format!("/a/{slug}/join/{token}"))
}
