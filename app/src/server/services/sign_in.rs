//! Signing in and out, with rate limits per address and per account.

use crate::domain::{AcademyId, UserId};
use crate::{
    domain::{
        account::AccountStatus,
        email::{self, Email},
        password,
    },
    error::AppError,
    model::AcademyContext,
    server::{
        auth,
        db::now_ms,
        rate_limit::{self, Limit},
        repo,
        state::AppState,
        tokens,
    },
};

/// Sign-in attempts per address: `Settings::sign_in_per_ip` (30 unless set) in this window.
const PER_IP_WINDOW_MS: i64 = 10 * 60 * 1000;
pub const PER_ACCOUNT_FAILURES: Limit = Limit {
    max: 10,
    window_ms: 15 * 60 * 1000,
};
const WHAT: &str = "sign-in attempts";

pub fn invalid_credentials() -> AppError {
    AppError::Validation {
        message: "Invalid email or password".into(),
        fields: vec![],
    }
}

/// Refuses what no account can have before anything is counted, stored or hashed: a megabyte of
/// "email" would otherwise cost the server a limiter row and a hash.
fn check_bounds(email: &str, password: &str) -> Result<(), AppError> {
    let mut fields = vec![];
    if email.trim().len() > email::MAX_LEN {
        fields.push(crate::error::FieldError {
            field: "email".into(),
            message: format!(
                "This is longer than any email address (at most {} characters).",
                email::MAX_LEN
            ),
        });
    }
    if password.chars().count() > password::MAX_LEN {
        fields.push(crate::error::FieldError {
            field: "password".into(),
            message: format!(
                "This is longer than any password here (at most {} characters).",
                password::MAX_LEN
            ),
        });
    }
    AppError::from_fields(fields).map_or(Ok(()), Err)
}

/// Starts a session for the user and sets the cookie; any session the browser held is ended (rotation).
pub async fn start_session(
    state: &AppState,
    academy_id: AcademyId,
    user_id: UserId,
) -> Result<(), AppError> {
    let now = now_ms();
    let token = tokens::new_token();
    let mut tx = state.db.write().await?;
    if let Some(old) = auth::presented_token() {
        repo::sessions::delete(&mut *tx, &tokens::token_hash(&state.settings.secret, &old)).await?;
    }
    let hash = tokens::token_hash(&state.settings.secret, &token);
    repo::sessions::insert(
        &mut *tx,
        &hash,
        academy_id,
        user_id,
        now,
        now + auth::SESSION_TTL_MS,
    )
    .await?;
    repo::users::touch_sign_in(&mut *tx, academy_id, user_id, now).await?;
    repo::audit::record(
        &mut *tx,
        academy_id,
        Some(user_id),
        "session.signed_in",
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    auth::set_session_cookie(state, &token);
    Ok(())
}

/// Checks the credentials for the academy at `slug` and signs in. Returns where to go next.
pub async fn sign_in(
    state: &AppState,
    slug: &str,
    email: &str,
    password: &str,
) -> Result<String, AppError> {
    let academy = super::academies::by_slug(state, slug).await?;
    check_bounds(email, password)?;
    rate_limit::hit(
        &state.db,
        &format!("sign-in-ip:{}", auth::client_ip()),
        Limit {
            max: state.settings.sign_in_per_ip,
            window_ms: PER_IP_WINDOW_MS,
        },
        WHAT,
    )
    .await?;
    if email.trim().is_empty() || password.is_empty() {
        let mut fields = vec![];
        if email.trim().is_empty() {
            fields.push(crate::error::FieldError {
                field: "email".into(),
                message: "Enter your email".into(),
            });
        }
        if password.is_empty() {
            fields.push(crate::error::FieldError {
                field: "password".into(),
                message: "Enter your password".into(),
            });
        }
        return Err(AppError::from_fields(fields).expect("not empty"));
    }
    // An address that cannot exist still costs a hash, and gets the same one message.
    let email = Email::parse(email)
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    let account_bucket = format!(
        "sign-in-account:{}:{}",
        academy.id,
        rate_limit::address_key(&email)
    );
    // Counted before the hash, so parallel guesses never pass the limit together; a right
    // password gives its count back (the limit is on failures).
    let counted = rate_limit::hit(&state.db, &account_bucket, PER_ACCOUNT_FAILURES, WHAT).await?;
    let creds = repo::users::credentials(&state.db.pool, academy.id, &email).await?;
    let active = creds.as_ref().filter(|c| c.status == AccountStatus::Active);
    let ok = state
        .hasher
        .verify(password, active.and_then(|c| c.password_hash.as_deref()))
        .await?;
    let Some(user) = active.filter(|_| ok) else {
        tracing::info!(academy_id = academy.id.get(), "sign-in refused");
        return Err(invalid_credentials());
    };
    rate_limit::refund(&state.db, &account_bucket, counted).await?;
    start_session(state, academy.id, user.id).await?;
    let user = repo::users::by_id(&state.db.pool, academy.id, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let ctx = AcademyContext {
        academy: academy.view(),
        viewer: crate::model::Viewer::User(user.view()),
        viewing_as_learner: false,
        base_url: state.settings.base_url.clone(),
    };
    Ok(ctx.landing_path())
}

/// Ends the browser's session (if any) and clears the cookie.
pub async fn sign_out(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = auth::presented_token() {
        let hash = tokens::token_hash(&state.settings.secret, &token);
        if let Some(s) = repo::sessions::find(&state.db.pool, &hash).await? {
            let mut tx = state.db.write().await?;
            repo::sessions::delete(&mut *tx, &hash).await?;
            repo::audit::record(
                &mut *tx,
                s.academy_id,
                Some(s.user_id),
                "session.signed_out",
                "",
                now_ms(),
            )
            .await?;
            tx.commit().await?;
        }
    }
    auth::clear_session_cookie(state);
    Ok(())
}
