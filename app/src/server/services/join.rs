//! Registration: through the emailed link, or at the academy link with an invited email. Either way
//! the account, its teams and the accepted invite commit in one transaction.

use crate::{
    domain::{
        access_request::Visibility,
        invite::{AcademyLinkClaim, InviteState},
        names::PersonName,
        password::Password,
        role::Role,
    },
    error::AppError,
    model::{JoinInfo, JoinProblem, SignUpOutcome},
    server::{
        db::now_ms,
        repo::{self, academies::AcademyRow, invites::InviteRow, users::NewUser},
        services::{access_requests, sign_in::start_session, webhooks},
        state::AppState,
        tokens,
    },
    validate::Fields,
};

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
    Ok(match invite.status {
        InviteState::Accepted => Err(JoinProblem::Used),
        InviteState::Revoked => Err(JoinProblem::Revoked),
        InviteState::Pending if t.expires_at <= now_ms() => Err(JoinProblem::Expired),
        InviteState::Pending => Ok(invite),
    })
}

pub async fn info(state: &AppState, slug: &str, token: &str) -> Result<JoinInfo, AppError> {
    let academy = super::academies::by_slug(state, slug).await?;
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
        PersonName::parse_or(first_name, "Enter your first name"),
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
    who: &NewLearner,
) -> Result<String, AppError> {
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
    let role: Role = invite.role;
    let user_id = repo::users::insert(
        &mut *tx,
        &NewUser {
            academy_id: academy.id,
            email: &invite.email,
            first_name: &who.first_name,
            last_name: &who.last_name,
            role,
            password_hash: &who.password_hash,
        },
        now,
    )
    .await?;
    let team_ids = repo::invites::team_ids(&mut *tx, invite.id).await?;
    for &team in &team_ids {
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
    let announced = webhooks::on_registered(
        &mut tx,
        academy.id,
        &webhooks::Registered {
            user_id,
            email: &invite.email,
            first_name: &who.first_name,
            last_name: &who.last_name,
            role: role.as_str(),
            team_ids: &team_ids,
            invite_id: Some(invite.id),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    if announced > 0 {
        state.outbox_wakeup.notify_one();
    }
    start_session(state, academy.id, user_id).await?;
    Ok(academy.view().home_path())
}

/// A person about to become a learner, password already hashed.
struct NewLearner {
    email: String,
    first_name: String,
    last_name: String,
    password_hash: String,
}

async fn hashed(state: &AppState, email: &str, reg: Registration) -> Result<NewLearner, AppError> {
    Ok(NewLearner {
        email: email.to_string(),
        first_name: reg.first_name.as_str().to_string(),
        last_name: reg.last_name,
        password_hash: state.hasher.hash(&reg.password).await?,
    })
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
    let academy = super::academies::by_slug(state, slug).await?;
    let invite = match resolve(state, &academy, token).await? {
        Ok(invite) => invite,
        Err(problem) => {
            return Err(AppError::Conflict {
                message: format!("{}. {}", problem.headline(), problem.explanation()),
                field: None,
            });
        }
    };
    let reg = parse_registration(&invite.email, first_name, last_name, password)?;
    let who = hashed(state, &invite.email, reg).await?;
    accept(state, &academy, &invite, &who).await
}

const SIGN_UP_LIMIT: crate::server::rate_limit::Limit = crate::server::rate_limit::Limit {
    max: 20,
    window_ms: 10 * 60 * 1000,
};
const CODE_TTL_MS: i64 = 30 * 60 * 1000;
const CODE_ATTEMPTS: i64 = 5;
/// Confirmation tries per client, whatever the address: a code has six digits.
const CONFIRM_LIMIT: crate::server::rate_limit::Limit = crate::server::rate_limit::Limit {
    max: 30,
    window_ms: 10 * 60 * 1000,
};

pub const STAFF_INVITE_BY_LINK_ONLY: &str = "Administrator invitations are accepted only through the link in the invitation email. Open that email and use its link.";

/// Why this email may (or may not) sign up here without a link, and what proof it needs.
async fn check_eligible(
    state: &AppState,
    academy: &AcademyRow,
    email: &str,
) -> Result<AcademyLinkClaim, AppError> {
    if repo::users::by_email(&state.db.pool, academy.id, email)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "email",
            "You already have an account here. Sign in instead.",
        ));
    }
    match repo::invites::pending_by_email(&state.db.pool, academy.id, email).await? {
        // Knowing an address must not make anyone an Administrator: staff invitations are accepted
        // only through the emailed link, which carries the secret token.
        Some(invite) => {
            let role: Role = invite.role;
            match AcademyLinkClaim::of(role, invite.send_email != 0) {
                AcademyLinkClaim::LinkOnly => {
                    Err(AppError::invalid("email", STAFF_INVITE_BY_LINK_ONLY))
                }
                _ if invite.expires_at <= now_ms() => Err(AppError::invalid(
                    "email",
                    "Your invitation has expired. Ask your admin for a new one.",
                )),
                // The academy may ask everyone at its link for a code.
                AcademyLinkClaim::Password if academy.require_signup_confirmation != 0 => {
                    Ok(AcademyLinkClaim::Code)
                }
                claim => Ok(claim),
            }
        }
        // A stranger has nothing else to prove the address with.
        None if academy.visibility == Visibility::Public => Ok(AcademyLinkClaim::Code),
        None => Err(AppError::invalid(
            "email",
            "This academy is invite-only, and this email has no invitation. Use the email your invitation was sent to, or ask your admin to invite you.",
        )),
    }
}

/// Creates the account: accepting the pending invitation, or as a Learner of a public academy.
async fn complete_sign_up(
    state: &AppState,
    academy: &AcademyRow,
    who: &NewLearner,
) -> Result<String, AppError> {
    check_eligible(state, academy, &who.email).await?;
    if let Some(invite) =
        repo::invites::pending_by_email(&state.db.pool, academy.id, &who.email).await?
    {
        return accept(state, academy, &invite, who).await;
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let user_id = repo::users::insert(
        &mut *tx,
        &NewUser {
            academy_id: academy.id,
            email: &who.email,
            first_name: &who.first_name,
            last_name: &who.last_name,
            role: Role::Learner,
            password_hash: &who.password_hash,
        },
        now,
    )
    .await?;
    repo::audit::record(
        &mut *tx,
        academy.id,
        Some(user_id),
        "learner.signed_up",
        &who.email,
        now,
    )
    .await?;
    let announced = webhooks::on_registered(
        &mut tx,
        academy.id,
        &webhooks::Registered {
            user_id,
            email: &who.email,
            first_name: &who.first_name,
            last_name: &who.last_name,
            role: Role::Learner.as_str(),
            team_ids: &[],
            invite_id: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    if announced > 0 {
        state.outbox_wakeup.notify_one();
    }
    start_session(state, academy.id, user_id).await?;
    Ok(academy.view().home_path())
}

/// "Sign up" at the academy link: works for an email with a pending invitation (accepted exactly as
/// through the link); public academies take anyone as a Learner. When the academy requires email
/// confirmation, a code is emailed first and `confirm_sign_up` finishes.
pub async fn sign_up(
    state: &AppState,
    slug: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
) -> Result<SignUpOutcome, AppError> {
    let academy = super::academies::by_slug(state, slug).await?;
    let ip = crate::server::auth::client_ip();
    crate::server::rate_limit::hit(
        &state.db,
        &format!("sign-up-ip:{ip}"),
        SIGN_UP_LIMIT,
        "sign-up attempts",
    )
    .await?;
    let email =
        crate::domain::email::Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    // Invited people who leave a name empty keep the one their admin entered.
    let invited = repo::invites::pending_by_email(&state.db.pool, academy.id, email.as_str())
        .await?
        .map(|i| (i.first_name, i.last_name))
        .unwrap_or_default();
    let first_name = if first_name.trim().is_empty() {
        invited.0.as_str()
    } else {
        first_name
    };
    let last_name = if last_name.trim().is_empty() {
        invited.1.as_str()
    } else {
        last_name
    };
    let reg = parse_registration(email.as_str(), first_name, last_name, password)?;
    if let Some(user) = repo::users::by_email(&state.db.pool, academy.id, email.as_str()).await? {
        // A stranger learns nothing: the same "check your email" as a sign-up, after the same
        // work; the account's owner gets an email saying so (and how to reset the password).
        hashed(state, email.as_str(), reg).await?;
        let known = access_requests::Known::Account(user.id);
        access_requests::tell_the_address(state, academy.id, email.as_str(), &known, now_ms())
            .await?;
        return Ok(SignUpOutcome::ConfirmCode {
            email: email.as_str().to_string(),
        });
    }
    let claim = check_eligible(state, &academy, email.as_str()).await?;
    let who = hashed(state, email.as_str(), reg).await?;
    if claim == AcademyLinkClaim::Password {
        return complete_sign_up(state, &academy, &who)
            .await
            .map(SignUpOutcome::Done);
    }
    let now = now_ms();
    let salt = tokens::new_salt();
    let mut tx = state.db.write().await?;
    // Signing up again sends a new code but keeps the wrong tries: five guesses per address, not
    // five per sign-up.
    let attempts =
        repo::signup_codes::attempts_so_far(&mut *tx, academy.id, &who.email, now).await?;
    repo::signup_codes::delete_for(&mut *tx, academy.id, &who.email).await?;
    let id = repo::signup_codes::insert(
        &mut *tx,
        &repo::signup_codes::NewSignupCode {
            academy_id: academy.id,
            email: &who.email,
            first_name: &who.first_name,
            last_name: &who.last_name,
            password_hash: &who.password_hash,
            salt: &salt,
            attempts,
            expires_at: now + CODE_TTL_MS,
        },
        now,
    )
    .await?;
    let message_id = format!("signup-{id}@{}", state.settings.host());
    repo::outbox::enqueue(
        &mut *tx,
        academy.id,
        "signup_code",
        id.get(),
        &who.email,
        &message_id,
        now,
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(SignUpOutcome::ConfirmCode { email: who.email })
}

/// Finishes a sign-up with the emailed code.
pub async fn confirm_sign_up(
    state: &AppState,
    slug: &str,
    email: &str,
    code: &str,
) -> Result<String, AppError> {
    let academy = super::academies::by_slug(state, slug).await?;
    crate::server::rate_limit::hit(
        &state.db,
        &format!("confirm-sign-up-ip:{}", crate::server::auth::client_ip()),
        CONFIRM_LIMIT,
        "confirmation attempts",
    )
    .await?;
    let email =
        crate::domain::email::Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let wrong = || {
        AppError::invalid(
            "code",
            "That code is not right. Check the latest email we sent you.",
        )
    };
    let Some(pending) =
        repo::signup_codes::latest(&state.db.pool, academy.id, email.as_str()).await?
    else {
        // Said as for a wrong code: whether a sign-up waits is nobody else's business.
        return Err(wrong());
    };
    if pending.expires_at <= now_ms() {
        return Err(AppError::invalid(
            "code",
            "This code has expired. Sign up again to get a new one.",
        ));
    }
    // The try is counted before the code is compared, in one statement: of fifty parallel
    // guesses only the first `CODE_ATTEMPTS` are ever compared.
    let tries = {
        let mut tx = state.db.write().await?;
        let tries = repo::signup_codes::count_attempt(&mut *tx, pending.id).await?;
        tx.commit().await?;
        tries.unwrap_or(i64::MAX)
    };
    if tries > CODE_ATTEMPTS {
        return Err(AppError::invalid(
            "code",
            format!(
                "Too many wrong codes. Sign up again in {} minutes to get a new one.",
                CODE_TTL_MS / 60_000
            ),
        ));
    }
    let expected = tokens::derive_code(&state.settings.secret, &pending.salt);
    let given: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    if given.len() != expected.len()
        || !given
            .bytes()
            .zip(expected.bytes())
            .fold(true, |ok, (a, b)| ok & (a == b))
    {
        return Err(wrong());
    }
    let who = NewLearner {
        email: pending.email.clone(),
        first_name: pending.first_name.clone(),
        last_name: pending.last_name.clone(),
        password_hash: pending.password_hash.clone(),
    };
    let path = complete_sign_up(state, &academy, &who).await?;
    let mut tx = state.db.write().await?;
    repo::signup_codes::delete_for(&mut *tx, academy.id, &who.email).await?;
    tx.commit().await?;
    Ok(path)
}
