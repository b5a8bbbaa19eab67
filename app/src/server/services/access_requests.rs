//! Access requests: "Request access" at a private academy's link, and the staff's answers. A request
//! is stored with its notifications (administrators' emails, the `access_request.created` webhook) in
//! one transaction; approving sends an invitation through the invite machinery (source `request`),
//! whose emailed link proves the address before any account exists — a request never carries a
//! password. Whatever the address's state, the person asking gets the same answer; the address's
//! owner learns by email when there was nothing to request (an account, an invitation, a recent
//! decline).

pub mod email;

use crate::domain::{AcademyId, AccessRequestId, InviteId, TeamId, UserId};
use crate::error::AppResult;
use serde_json::json;

use crate::{
    domain::{
        access_request::{self, RequestStatus, Visibility},
        email::Email,
        invite::{InviteSource, InviteeInput},
        names::PersonName,
        role::Role,
        webhook::ACCESS_REQUEST_CREATED,
    },
    error::AppError,
    model::{
        InviteOutcome, Page,
        access_requests::{AccessRequestList, AccessRequestView, AccessSettings, Approved},
    },
    server::{
        auth::{self, SessionUser},
        db::{Tx, is_unique_violation, now_ms, rfc3339},
        rate_limit::{self, Limit},
        repo::{
            self,
            academies::AcademyRow,
            access_requests::{Approval, NewRequest, RequestRow},
            lists::PER_PAGE,
        },
        services::{invites, webhooks},
        state::AppState,
    },
    validate::Fields,
};

/// Requests one address (one browser, one office) may send.
pub const PER_IP: Limit = Limit {
    max: 10,
    window_ms: 60 * 60 * 1000,
};
/// Requests one academy takes, so a flood cannot bury its administrators.
pub const PER_ACADEMY: Limit = Limit {
    max: 100,
    window_ms: 60 * 60 * 1000,
};

/// What a person typed into "Request access".
pub struct RequestInput<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub message: &'a str,
}

struct ValidRequest {
    email: Email,
    first_name: PersonName,
    last_name: String,
    message: String,
}

fn parse(input: &RequestInput<'_>) -> Result<ValidRequest, AppError> {
    let mut f = Fields::default();
    let email = f.check("email", Email::parse(input.email));
    let first_name = f.check(
        "first_name",
        PersonName::parse_or(input.first_name, "Enter your first name"),
    );
    let last_name = if input.last_name.trim().is_empty() {
        Some(String::new())
    } else {
        f.check(
            "last_name",
            PersonName::parse(input.last_name).map(|n| n.as_str().to_string()),
        )
    };
    let message = f.check("message", access_request::check_message(input.message));
    f.finish()?;
    match (email, first_name, last_name, message) {
        (Some(email), Some(first_name), Some(last_name), Some(message)) => Ok(ValidRequest {
            email,
            first_name,
            last_name,
            message,
        }),
        _ => unreachable!("every field parsed when no field error was collected"),
    }
}

/// An address that needs no request (or sign-up), or may not ask yet: its owner is told by email
/// instead, and the stranger who asked gets the answer anyone would.
pub enum Known {
    Account(UserId),
    Invitation(InviteId),
    DeclinedRecently(AccessRequestId),
}

impl Known {
    fn kind(&self) -> &'static str {
        match self {
            Known::Account(_) => email::KNOWN_ACCOUNT_KIND,
            Known::Invitation(_) => email::KNOWN_INVITATION_KIND,
            Known::DeclinedRecently(_) => email::DECLINED_RECENTLY_KIND,
        }
    }

    /// The outbox's reference: the row of `kind`'s table.
    fn ref_id(&self) -> i64 {
        match *self {
            Known::Account(id) => id.get(),
            Known::Invitation(id) => id.get(),
            Known::DeclinedRecently(id) => id.get(),
        }
    }
}

async fn known(
    tx: &mut Tx,
    academy_id: AcademyId,
    email: &str,
    now: i64,
) -> Result<Option<Known>, AppError> {
    if let Some(user) = repo::users::by_email(&mut **tx, academy_id, email).await? {
        return Ok(Some(Known::Account(user.id)));
    }
    if let Some(invite) = repo::invites::pending_by_email(&mut **tx, academy_id, email).await?
        && invite.expires_at > now
    {
        return Ok(Some(Known::Invitation(invite.id)));
    }
    if let Some((id, declined_at)) =
        repo::access_requests::last_declined(&mut **tx, academy_id, email).await?
        && access_request::ask_again_from(declined_at, now).is_some()
    {
        return Ok(Some(Known::DeclinedRecently(id)));
    }
    Ok(None)
}

/// Emails about one address (what it already has, a repeat request): a stranger must not be able
/// to fill someone's inbox, so the third within an hour and later ones are not sent.
const EMAILS_PER_ADDRESS: Limit = Limit {
    max: 2,
    window_ms: 60 * 60 * 1000,
};

/// "Request access". A repeat while the first request waits updates it (one row per address). An
/// address with an account or a working invitation, or declined less than a week ago, is not
/// stored: its owner gets an email saying what to do instead. The answer is the same either way.
pub async fn request(
    state: &AppState,
    slug: &str,
    input: &RequestInput<'_>,
) -> Result<(), AppError> {
    let academy = super::academies::by_slug(state, slug).await?;
    if academy.visibility == Visibility::Public {
        return Err(AppError::Conflict {
            message: "This academy is public: anyone with its link can sign up, no request needed. Use \"Sign up\" instead.".into(),
            field: None,
        });
    }
    let ip = auth::client_ip();
    rate_limit::hit(
        &state.db,
        &format!("access-request-ip:{ip}"),
        PER_IP,
        "access requests",
    )
    .await?;
    rate_limit::hit(
        &state.db,
        &format!("access-request-academy:{}", academy.id),
        PER_ACADEMY,
        "access requests to this academy",
    )
    .await?;
    let valid = parse(input)?;
    let email = valid.email.as_str();
    let new = NewRequest {
        academy_id: academy.id,
        email,
        first_name: valid.first_name.as_str(),
        last_name: &valid.last_name,
        message: &valid.message,
        ip: &ip,
    };
    // A concurrent request for the same address may insert first: the unique index refuses the
    // second, and the retry finds the first and updates it.
    for _ in 0..3 {
        let now = now_ms();
        let mut tx = state.db.write().await?;
        if let Some(known) = known(&mut tx, academy.id, email, now).await? {
            // The limiter writes on a connection of its own: never while this one holds the lock.
            drop(tx);
            return tell_the_address(state, academy.id, email, &known, now).await;
        }
        if let Some(existing) =
            repo::access_requests::pending_by_email(&mut *tx, academy.id, email).await?
        {
            repo::access_requests::update_pending(&mut *tx, existing.id, &new, now).await?;
            repo::audit::record(
                &mut *tx,
                academy.id,
                None,
                "access_request.updated",
                email,
                now,
            )
            .await?;
            tx.commit().await?;
            return Ok(());
        }
        let id = match repo::access_requests::insert(&mut *tx, &new, now).await {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        repo::audit::record(
            &mut *tx,
            academy.id,
            None,
            "access_request.created",
            email,
            now,
        )
        .await?;
        let mut queued = 0;
        if repo::access_requests::notify_admins(&mut *tx, academy.id).await? {
            for (admin_id, admin_email) in
                repo::access_requests::admins(&mut *tx, academy.id).await?
            {
                repo::outbox::enqueue(
                    &mut *tx,
                    academy.id,
                    email::NOTIFY_KIND,
                    id.get(),
                    &admin_email,
                    &format!("access-request-{id}-{admin_id}@{}", state.settings.host()),
                    now,
                )
                .await?;
                queued += 1;
            }
        }
        queued += webhooks::emit(
            &mut tx,
            academy.id,
            ACCESS_REQUEST_CREATED,
            json!({
                "request_id": id,
                "email": email,
                "first_name": valid.first_name.as_str(),
                "last_name": valid.last_name,
                "message": valid.message,
                "requested_at": rfc3339(now),
            }),
        )
        .await?;
        tx.commit().await?;
        if queued > 0 {
            state.outbox_wakeup.notify_one();
        }
        return Ok(());
    }
    Err(AppError::Conflict {
        message: "A request for this address is being saved right now; try again.".into(),
        field: None,
    })
}

/// Queues the email that tells the owner of `email` why nothing was requested (at most
/// `EMAILS_PER_ADDRESS` an hour; past that, nothing is sent and nothing is said).
pub async fn tell_the_address(
    state: &AppState,
    academy_id: AcademyId,
    email: &str,
    known: &Known,
    now: i64,
) -> Result<(), AppError> {
    let bucket = format!(
        "access-request-email:{academy_id}:{}",
        crate::server::tokens::token_hash(&state.settings.secret, email)
    );
    if rate_limit::hit(&state.db, &bucket, EMAILS_PER_ADDRESS, "emails")
        .await
        .is_err()
    {
        return Ok(());
    }
    let message_id = format!(
        "{}-{}-{}@{}",
        known.kind(),
        known.ref_id(),
        now,
        state.settings.host()
    );
    let mut tx = state.db.write().await?;
    repo::outbox::enqueue(
        &mut *tx,
        academy_id,
        known.kind(),
        known.ref_id(),
        email,
        &message_id,
        now,
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}

fn view(r: RequestRow) -> AppResult<AccessRequestView> {
    let decided_by = r.decider_email.as_ref().map(|email| {
        crate::model::display_name(
            r.decider_first.as_deref().unwrap_or_default(),
            r.decider_last.as_deref().unwrap_or_default(),
            email,
        )
    });
    Ok(AccessRequestView {
        id: r.id,
        status: r.status,
        email: r.email,
        first_name: r.first_name,
        last_name: r.last_name,
        message: r.message,
        requested_at: r.created_at,
        updated_at: r.updated_at,
        decided_at: r.decided_at,
        decided_by,
        decline_reason: r.decline_reason.filter(|s| !s.is_empty()),
    })
}

pub async fn list(
    state: &AppState,
    actor: &SessionUser,
    status: RequestStatus,
    page: u32,
) -> Result<AccessRequestList, AppError> {
    let page = page.max(1);
    let (pending, declined) =
        repo::access_requests::counts(&state.db.pool, actor.academy_id).await?;
    let rows = repo::access_requests::page(
        &state.db.pool,
        actor.academy_id,
        status,
        i64::from(PER_PAGE),
        repo::lists::offset(page),
    )
    .await?;
    let total = match status {
        RequestStatus::Pending => pending,
        RequestStatus::Declined => declined,
        // Approved requests are history: no tab pages through them.
        RequestStatus::Approved => rows.len() as i64,
    };
    Ok(AccessRequestList {
        pending,
        declined,
        page: Page {
            rows: rows.into_iter().map(view).collect::<AppResult<_>>()?,
            total,
            page,
            per_page: PER_PAGE,
        },
    })
}

fn request_gone() -> AppError {
    AppError::NotFound(
        "This access request does not exist. Reload the page to see the current requests.".into(),
    )
}

/// The request, if it can still be approved.
async fn open_request(
    state: &AppState,
    academy_id: AcademyId,
    id: AccessRequestId,
) -> Result<RequestRow, AppError> {
    let r = repo::access_requests::by_id(&state.db.pool, academy_id, id)
        .await?
        .ok_or_else(request_gone)?;
    if r.status == RequestStatus::Approved {
        return Err(AppError::Conflict {
            message: format!("The request of {} was approved already.", r.email),
            field: None,
        });
    }
    Ok(r)
}

/// Approves a pending (or earlier declined) request: an invitation email, whose link proves the
/// address before the account exists.
pub async fn approve(
    state: &AppState,
    actor: &SessionUser,
    request_id: AccessRequestId,
    role: Role,
    team_ids: &[TeamId],
) -> Result<Approved, AppError> {
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let r = open_request(state, academy.id, request_id).await?;
    let team_ids = invites::check_role_and_teams(state, &academy, role, team_ids).await?;
    send_invitation(state, actor, &academy, &r, role, &team_ids).await
}

/// Marks the request approved with its audit row, in `tx`.
async fn record_approval(
    tx: &mut Tx,
    actor: &SessionUser,
    r: &RequestRow,
    approval: &Approval,
    detail: &str,
    now: i64,
) -> Result<(), AppError> {
    if !repo::access_requests::approve(&mut **tx, actor.academy_id, r.id, approval, now).await? {
        return Err(AppError::Conflict {
            message: format!(
                "The request of {} was answered meanwhile. Reload the page.",
                r.email
            ),
            field: None,
        });
    }
    repo::audit::record_with_detail(
        &mut **tx,
        actor.academy_id,
        Some(actor.user.id),
        "access_request.approved",
        &r.email,
        detail,
        now,
    )
    .await?;
    Ok(())
}

async fn send_invitation(
    state: &AppState,
    actor: &SessionUser,
    academy: &AcademyRow,
    r: &RequestRow,
    role: Role,
    team_ids: &[TeamId],
) -> Result<Approved, AppError> {
    let req = invites::InviteRequest {
        people: vec![InviteeInput {
            email: r.email.clone(),
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
        }],
        role,
        team_ids: team_ids.to_vec(),
        send_email: true,
        source: InviteSource::Request,
        message: None,
    };
    let result = invites::invite(state, actor, academy, &req)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("an invite request of one person gave no result"))?;
    let now = now_ms();
    let (approval, answer, detail) = match result.outcome {
        InviteOutcome::Invited { invite_id } | InviteOutcome::AlreadyInvited { invite_id } => (
            Approval {
                decided_by: actor.user.id,
                invite_id: Some(invite_id),
                user_id: None,
            },
            Approved::Invited {
                email: r.email.clone(),
            },
            format!("invited as {}", role.as_str()),
        ),
        InviteOutcome::AlreadyLearner { added_to_teams } => (
            Approval {
                decided_by: actor.user.id,
                invite_id: None,
                user_id: repo::users::by_email(&state.db.pool, academy.id, &r.email)
                    .await?
                    .map(|u| u.id),
            },
            Approved::AlreadyMember {
                email: r.email.clone(),
                added_to_teams,
            },
            "already a member".to_string(),
        ),
        InviteOutcome::Invalid { message } => {
            return Err(AppError::Conflict {
                message,
                field: None,
            });
        }
    };
    let mut tx = state.db.write().await?;
    record_approval(&mut tx, actor, r, &approval, &detail, now).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Declines a pending request; with `send_email` the person gets an email (with the reason, if any).
pub async fn decline(
    state: &AppState,
    actor: &SessionUser,
    request_id: AccessRequestId,
    send_email: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason =
        access_request::check_reason(reason).map_err(|m| AppError::invalid("reason", m))?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let r = repo::access_requests::by_id(&mut *tx, actor.academy_id, request_id)
        .await?
        .ok_or_else(request_gone)?;
    match r.status {
        RequestStatus::Pending => {}
        RequestStatus::Declined => {
            return Err(AppError::Conflict {
                message: format!("The request of {} was declined already.", r.email),
                field: None,
            });
        }
        RequestStatus::Approved => {
            return Err(AppError::Conflict {
                message: format!(
                    "The request of {} was approved already; it can no longer be declined.",
                    r.email
                ),
                field: None,
            });
        }
    }
    if !repo::access_requests::decline(
        &mut *tx,
        actor.academy_id,
        r.id,
        actor.user.id,
        &reason,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict {
            message: "This request was answered meanwhile. Reload the page.".into(),
            field: None,
        });
    }
    if send_email {
        repo::outbox::enqueue(
            &mut *tx,
            actor.academy_id,
            email::DECLINED_KIND,
            r.id.get(),
            &r.email,
            &format!("access-declined-{}@{}", r.id, state.settings.host()),
            now,
        )
        .await?;
    }
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "access_request.declined",
        &r.email,
        if send_email { "emailed" } else { "not emailed" },
        now,
    )
    .await?;
    tx.commit().await?;
    if send_email {
        state.outbox_wakeup.notify_one();
    }
    Ok(())
}

// ---- Settings ----

pub async fn settings(state: &AppState, actor: &SessionUser) -> Result<AccessSettings, AppError> {
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(AccessSettings {
        visibility: academy.visibility,
        notify_admins: repo::access_requests::notify_admins(&state.db.pool, academy.id).await?,
    })
}

pub async fn set_visibility(
    state: &AppState,
    actor: &SessionUser,
    visibility: Visibility,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let before = repo::academies::by_id(&mut *tx, actor.academy_id)
        .await?
        .map(|a| a.visibility)
        .ok_or(AppError::Unauthorized)?;
    if before == visibility {
        return Ok(());
    }
    repo::access_requests::set_visibility(&mut *tx, actor.academy_id, visibility).await?;
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "academy.visibility_changed",
        visibility.as_str(),
        &format!("{} → {}", before.as_str(), visibility.as_str()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_notify_admins(
    state: &AppState,
    actor: &SessionUser,
    on: bool,
) -> Result<(), AppError> {
    let mut tx = state.db.write().await?;
    repo::access_requests::set_notify_admins(&mut *tx, actor.academy_id, on).await?;
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "academy.access_request_emails_changed",
        if on { "on" } else { "off" },
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
