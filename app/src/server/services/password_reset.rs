//! Account recovery and password changes. "Forgot your password?" emails a single-use link that
//! works for an hour (its token is derived from the server secret and a stored salt; only a keyed
//! hash of it is stored, like invitation links); an administrator can send the same email from a
//! learner's row. Setting a password through a link ends every session of the person; changing it
//! while signed in ends every other one; "Sign out everywhere" ends them all.

use crate::domain::{AcademyId, PasswordResetId, UserId};
use crate::{
    domain::{account::AccountStatus, email::Email, password::Password},
    error::AppError,
    model::ResetInfo,
    server::{
        auth,
        db::{Tx, now_ms},
        mail::message::OutgoingEmail,
        mail::message::escape_html,
        rate_limit::{self, Limit},
        repo::{self, password_resets::NewReset},
        services::{academies, sign_in::start_session},
        state::AppState,
        tokens,
    },
};

pub const KIND: &str = "password_reset";
const LINK_TTL_MS: i64 = 60 * 60 * 1000;

/// "Forgot your password?" per client: a person needs a few; a script needs many.
const PER_CLIENT: Limit = Limit {
    max: 10,
    window_ms: 60 * 60 * 1000,
};
/// Emails to one address: enough for a lost first email, not enough to fill an inbox.
const PER_ADDRESS: Limit = Limit {
    max: 3,
    window_ms: 60 * 60 * 1000,
};
/// Wrong current passwords on "Change password", per account.
const CHANGE_FAILURES: Limit = Limit {
    max: 10,
    window_ms: 15 * 60 * 1000,
};

const LINK_GONE: &str =
    "This link has expired or was used already. Ask for a new one below; it works for one hour.";

/// Stores a new link for the person and queues its email, in the caller's transaction.
async fn create_link(
    state: &AppState,
    tx: &mut Tx,
    academy_id: AcademyId,
    user_id: UserId,
    email: &str,
    sent_by: Option<UserId>,
    now: i64,
) -> Result<(), AppError> {
    let salt = tokens::new_salt();
    let token = tokens::derive_token(&state.settings.secret, &salt);
    let id = repo::password_resets::insert(
        &mut **tx,
        &NewReset {
            academy_id,
            user_id,
            salt: &salt,
            token_hash: &tokens::token_hash(&state.settings.secret, &token),
            sent_by,
            expires_at: now + LINK_TTL_MS,
        },
        now,
    )
    .await?;
    let message_id = format!("reset-{id}@{}", state.settings.host());
    repo::outbox::enqueue(
        &mut **tx,
        academy_id,
        KIND,
        id.get(),
        email,
        &message_id,
        now,
    )
    .await?;
    Ok(())
}

/// "Forgot your password?": the same answer whether or not the address has an account here.
pub async fn request(state: &AppState, slug: &str, email: &str) -> Result<(), AppError> {
    let academy = academies::by_slug(state, slug).await?;
    rate_limit::hit(
        &state.db,
        &format!("password-reset-ip:{}", auth::client_ip()),
        PER_CLIENT,
        "password reset requests",
    )
    .await?;
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let bucket = format!(
        "password-reset-address:{}:{}",
        academy.id,
        tokens::token_hash(&state.settings.secret, email.as_str())
    );
    // Past the cap nothing more is sent, and the answer does not change.
    if rate_limit::hit(&state.db, &bucket, PER_ADDRESS, "emails")
        .await
        .is_err()
    {
        return Ok(());
    }
    let Some(user) = repo::users::by_email(&state.db.pool, academy.id, email.as_str()).await?
    else {
        return Ok(());
    };
    if user.status != AccountStatus::Active {
        return Ok(());
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    create_link(state, &mut tx, academy.id, user.id, &user.email, None, now).await?;
    repo::audit::record(
        &mut *tx,
        academy.id,
        Some(user.id),
        "password.reset_requested",
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}

/// An administrator sends a learner the reset email (from the learner's row).
pub async fn send_by_admin(
    state: &AppState,
    actor: &auth::SessionUser,
    user_id: UserId,
) -> Result<String, AppError> {
    let Some(user) = repo::users::by_id(&state.db.pool, actor.academy_id, user_id).await? else {
        return Err(AppError::NotFound("There is no such learner here.".into()));
    };
    if user.role.is_staff() {
        return Err(AppError::Forbidden(
            "Administrators reset their own password with \"Forgot your password?\" on the sign-in page.".into(),
        ));
    }
    if user.status != AccountStatus::Active {
        return Err(AppError::conflict(
            "user",
            format!(
                "{} cannot sign in, so a reset link would not help.",
                user.email
            ),
        ));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    create_link(
        state,
        &mut tx,
        actor.academy_id,
        user.id,
        &user.email,
        Some(actor.user.id),
        now,
    )
    .await?;
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "password.reset_sent",
        &user.email,
        now,
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(user.email)
}

/// The link's page: whose password it sets, or why it no longer works.
pub async fn info(state: &AppState, slug: &str, token: &str) -> Result<ResetInfo, AppError> {
    let academy = academies::by_slug(state, slug).await?;
    let hash = tokens::token_hash(&state.settings.secret, token);
    match repo::password_resets::by_token_hash(&state.db.pool, academy.id, &hash).await? {
        Some(r)
            if r.used_at.is_none()
                && r.expires_at > now_ms()
                && r.status == AccountStatus::Active =>
        {
            Ok(ResetInfo { email: r.email })
        }
        _ => Err(AppError::invalid("token", LINK_GONE)),
    }
}

/// Sets the new password through the link, once; ends every session of the person and starts one
/// for this browser. Returns where to go next.
pub async fn reset(
    state: &AppState,
    slug: &str,
    token: &str,
    password: &str,
) -> Result<String, AppError> {
    let academy = academies::by_slug(state, slug).await?;
    let hash = tokens::token_hash(&state.settings.secret, token);
    let Some(link) = repo::password_resets::by_token_hash(&state.db.pool, academy.id, &hash)
        .await?
        .filter(|r| {
            r.used_at.is_none() && r.expires_at > now_ms() && r.status == AccountStatus::Active
        })
    else {
        return Err(AppError::invalid("token", LINK_GONE));
    };
    let password =
        Password::parse_for(password, &link.email).map_err(|m| AppError::invalid("password", m))?;
    // Argon2 runs before the write transaction, never inside it.
    let password_hash = state.hasher.hash(&password).await?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if !repo::password_resets::use_once(&mut *tx, link.id, now).await? {
        return Err(AppError::invalid("token", LINK_GONE));
    }
    repo::users::set_password(&mut *tx, academy.id, link.user_id, &password_hash).await?;
    repo::password_resets::retire_for_user(&mut *tx, link.user_id, now).await?;
    repo::sessions::end_sessions(&mut *tx, link.user_id, None).await?;
    repo::audit::record(
        &mut *tx,
        academy.id,
        Some(link.user_id),
        "password.reset",
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    start_session(state, academy.id, link.user_id).await?;
    let user = repo::users::by_id(&state.db.pool, academy.id, link.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let ctx = crate::model::AcademyContext {
        academy: academy.view(),
        viewer: crate::model::Viewer::User(user.view()),
        viewing_as_learner: false,
        base_url: state.settings.base_url.clone(),
    };
    Ok(ctx.landing_path())
}

/// "Change password" while signed in: the current one is required; every other session ends.
pub async fn change(state: &AppState, current: &str, new: &str) -> Result<(), AppError> {
    let me = auth::require_user(state).await?;
    let bucket = format!("password-change:{}", me.user.id);
    // Counted first, so parallel guesses cannot outrun the limit.
    rate_limit::hit(&state.db, &bucket, CHANGE_FAILURES, "password attempts").await?;
    let creds = repo::users::credentials(&state.db.pool, me.academy_id, &me.user.email).await?;
    let ok = state
        .hasher
        .verify(
            current,
            creds.as_ref().and_then(|c| c.password_hash.as_deref()),
        )
        .await?;
    if !ok {
        return Err(AppError::invalid(
            "current_password",
            "This is not your current password",
        ));
    }
    let password =
        Password::parse_for(new, &me.user.email).map_err(|m| AppError::invalid("password", m))?;
    if current == new {
        return Err(AppError::invalid(
            "password",
            "The new password is the same as the current one",
        ));
    }
    let password_hash = state.hasher.hash(&password).await?;
    let keep = auth::presented_token().map(|t| tokens::token_hash(&state.settings.secret, &t));
    let now = now_ms();
    let mut tx = state.db.write().await?;
    repo::users::set_password(&mut *tx, me.academy_id, me.user.id, &password_hash).await?;
    repo::password_resets::retire_for_user(&mut *tx, me.user.id, now).await?;
    repo::sessions::end_sessions(&mut *tx, me.user.id, keep.as_deref()).await?;
    repo::audit::record(
        &mut *tx,
        me.academy_id,
        Some(me.user.id),
        "password.changed",
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Sign out everywhere": every session of the person ends, this one too. Signed out, there is
/// nothing to end but the cookie.
pub async fn sign_out_everywhere(state: &AppState) -> Result<(), AppError> {
    if let auth::Session::Active(me) = auth::current(state).await? {
        let mut tx = state.db.write().await?;
        repo::sessions::end_sessions(&mut *tx, me.user.id, None).await?;
        repo::audit::record(
            &mut *tx,
            me.academy_id,
            Some(me.user.id),
            "session.signed_out_everywhere",
            "",
            now_ms(),
        )
        .await?;
        tx.commit().await?;
    }
    auth::clear_session_cookie(state);
    Ok(())
}

/// The reset email, rendered when it is sent; `None` when the link was used, replaced by a newer
/// password, expired, or the person can no longer sign in.
pub async fn render(
    state: &AppState,
    reset_id: PasswordResetId,
    message_id: &str,
) -> Result<Option<OutgoingEmail>, AppError> {
    let Some(r) = repo::password_resets::by_id(&state.db.pool, reset_id).await? else {
        return Ok(None);
    };
    if r.used_at.is_some() || r.expires_at <= now_ms() || r.status != AccountStatus::Active {
        return Ok(None);
    }
    let Some(academy) = repo::academies::by_id(&state.db.pool, r.academy_id).await? else {
        return Ok(None);
    };
    let token = tokens::derive_token(&state.settings.secret, &r.salt);
    let link = state
        .settings
        .link(&format!("/a/{}/reset/{token}", academy.slug));
    let greeting = if r.first_name.is_empty() {
        "Hello".to_string()
    } else {
        format!("Hello {}", r.first_name)
    };
    let subject = format!("Choose a new password for {}", academy.name);
    let text = format!(
        "{greeting},\n\nSomeone (hopefully you) asked to choose a new password for your account at {academy} on Shoal.\n\nOpen this link to choose it:\n{link}\n\nThe link works for one hour and only once. Choosing a new password signs you out everywhere else.\n\nIf you did not ask, ignore this email: your password stays as it is.\n",
        academy = academy.name,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5\">\
         <p>{greeting},</p><p>Someone (hopefully you) asked to choose a new password for your account at <strong>{academy}</strong> on Shoal.</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#0b6e99;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600\">Choose a new password</a></p>\
         <p style=\"font-size:14px;color:#4a5a6d\">Or copy this link into your browser:<br>{link}</p>\
         <p style=\"font-size:14px;color:#4a5a6d\">The link works for one hour and only once. Choosing a new password signs you out everywhere else. If you did not ask, ignore this email: your password stays as it is.</p></body></html>",
        greeting = escape_html(&greeting),
        academy = escape_html(&academy.name),
        link = escape_html(&link),
    );
    Ok(Some(OutgoingEmail {
        to_email: r.email.clone(),
        to_name: crate::model::full_name(&r.first_name, &r.last_name),
        subject,
        text,
        html,
        message_id: message_id.to_string(),
        on_behalf_of: None,
        reply_to: None,
    }))
}
