//! Registration: through the emailed link, or at the academy link with an invited email. Either way
//! the account, its teams and the accepted invite commit in one transaction.

use crate::{
    domain::{invite::InviteState, names::PersonName, password::Password, role::Role},
    error::AppError,
    model::{JoinInfo, JoinProblem},
    server::{
        db::now_ms,
        repo::{self, academies::AcademyRow, invites::InviteRow, users::NewUser},
        services::sign_in::start_session,
        state::AppState,
        tokens,
    },
    validate::Fields,
};

async fn academy(state: &AppState, slug: &str) -> Result<AcademyRow, AppError> {
    repo::academies::by_slug(&state.db.pool, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no academy at /a/{slug}.")))
}

/// The invite behind a link, or why the link does not work.
async fn resolve(
    state: &AppState,
    academy: &AcademyRow,
    token: &str,
) -> Result<Result<InviteRow, JoinProblem>, AppError> {
    let hash = tokens::token_hash(&state.settings.secret, token);
    let Some(t) = repo::invites::token_by_hash(&state.db.pool, &hash).await? else {
        return Ok(Err(JoinProblem::Unknown));
    };
    if t.academy_id != academy.id {
        return Ok(Err(JoinProblem::Unknown));
    }
    let Some(invite) = repo::invites::by_id(&state.db.pool, academy.id, t.invite_id).await? else {
        return Ok(Err(JoinProblem::Unknown));
    };
    Ok(match InviteState::parse(&invite.status) {
        InviteState::Accepted => Err(JoinProblem::Used),
        InviteState::Revoked => Err(JoinProblem::Revoked),
        InviteState::Pending if t.expires_at <= now_ms() => Err(JoinProblem::Expired),
        InviteState::Pending => Ok(invite),
    })
}

pub async fn info(state: &AppState, slug: &str, token: &str) -> Result<JoinInfo, AppError> {
    let academy = academy(state, slug).await?;
    Ok(match resolve(state, &academy, token).await? {
        Ok(invite) => JoinInfo::Valid {
            academy: academy.view(),
            email: invite.email,
            first_name: invite.first_name,
            last_name: invite.last_name,
            expires_at: invite.expires_at,
        },
        Err(problem) => JoinInfo::Invalid {
            academy: academy.view(),
            problem,
        },
    })
}

struct Registration {
    first_name: PersonName,
    last_name: String,
    password: Password,
}

fn parse_registration(
    email: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<Registration, AppError> {
    let mut f = Fields::default();
    let first = f.check(
        "first_name",
        PersonName::parse(first_name).map_err(|_| "Enter your first name".to_string()),
    );
    let last = if last_name.trim().is_empty() {
        Some(String::new())
    } else {
        f.check(
            "last_name",
            PersonName::parse(last_name).map(|n| n.as_str().to_string()),
        )
    };
    let pw = f.check("password", Password::parse_for(password, email));
    f.finish()?;
    match (first, last, pw) {
        (Some(first_name), Some(last_name), Some(password)) => Ok(Registration {
            first_name,
            last_name,
            password,
        }),
        _ => unreachable!("every field parsed when no field error was collected"),
    }
}

/// Creates the learner from a pending invite and signs them in. Returns the learner home.
async fn accept(
    state: &AppState,
    academy: &AcademyRow,
    invite: &InviteRow,
    reg: Registration,
) -> Result<String, AppError> {
    let hash = state.hasher.hash(&reg.password).await?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if repo::users::by_email(&mut *tx, academy.id, &invite.email)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: "An account with this email already exists. Sign in instead.".into(),
            field: None,
        });
    }
    let role: Role = invite.role.parse().unwrap_or(Role::Learner);
    let user_id = repo::users::insert(
        &mut *tx,
        &NewUser {
            academy_id: academy.id,
            email: &invite.email,
            first_name: reg.first_name.as_str(),
            last_name: &reg.last_name,
            role,
            password_hash: &hash,
        },
        now,
    )
    .await?;
    for team in repo::invites::team_ids(&mut *tx, invite.id).await? {
        repo::teams::add_member(&mut *tx, academy.id, team, user_id, now).await?;
    }
    if !repo::invites::accept(&mut *tx, invite.id, user_id, now).await? {
        return Err(AppError::Conflict {
            message: "This invitation changed meanwhile; reload the page.".into(),
            field: None,
        });
    }
    repo::audit::record(
        &mut *tx,
        academy.id,
        Some(user_id),
        "invite.accepted",
        &invite.email,
        now,
    )
    .await?;
    tx.commit().await?;
    start_session(state, academy.id, user_id).await?;
    Ok(academy.view().home_path())
}

/// Registration through the emailed link.
pub async fn join_with_link(
    state: &AppState,
    slug: &str,
    token: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<String, AppError> {
    let academy = academy(state, slug).await?;
    let invite = match resolve(state, &academy, token).await? {
        Ok(invite) => invite,
        Err(problem) => {
            return Err(AppError::Conflict {
                message: problem.headline().to_string() + ". " + problem.explanation(),
                field: None,
            });
        }
    };
    let reg = parse_registration(&invite.email, first_name, last_name, password)?;
    accept(state, &academy, &invite, reg).await
}

/// "Sign up" at the academy link: works for an email with a pending invitation (accepted exactly as
/// through the link); public academies take anyone as a Learner.
pub async fn sign_up(
    state: &AppState,
    slug: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<String, AppError> {
    let academy = academy(state, slug).await?;
    crate::server::rate_limit::hit(
        &state.db,
        &format!("sign-up-ip:{}", crate::server::auth::client_ip()),
        crate::server::rate_limit::Limit {
            max: 20,
            window_ms: 10 * 60 * 1000,
        },
        "sign-up attempts",
    )
    .await?;
    let email =
        crate::domain::email::Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let reg = parse_registration(email.as_str(), first_name, last_name, password)?;
    if repo::users::by_email(&state.db.pool, academy.id, email.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "email",
            "You already have an account here. Sign in instead.",
        ));
    }
    match repo::invites::pending_by_email(&state.db.pool, academy.id, email.as_str()).await? {
        Some(invite) if invite.expires_at > now_ms() => accept(state, &academy, &invite, reg).await,
        Some(_) => Err(AppError::invalid(
            "email",
            "Your invitation has expired. Ask your admin for a new one.",
        )),
        None if academy.visibility == "public" => {
            let hash = state.hasher.hash(&reg.password).await?;
            let now = now_ms();
            let mut tx = state.db.write().await?;
            let user_id = repo::users::insert(
                &mut *tx,
                &NewUser {
                    academy_id: academy.id,
                    email: email.as_str(),
                    first_name: reg.first_name.as_str(),
                    last_name: &reg.last_name,
                    role: Role::Learner,
                    password_hash: &hash,
                },
                now,
            )
            .await?;
            repo::audit::record(
                &mut *tx,
                academy.id,
                Some(user_id),
                "learner.signed_up",
                email.as_str(),
                now,
            )
            .await?;
            tx.commit().await?;
            start_session(state, academy.id, user_id).await?;
            Ok(academy.view().home_path())
        }
        None => Err(AppError::invalid(
            "email",
            "This academy is invite-only, and this email has no invitation. Use the email your invitation was sent to, or ask your admin to invite you.",
        )),
    }
}
