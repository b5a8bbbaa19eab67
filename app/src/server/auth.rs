//! Who is asking: the session cookie, looked up in the database; and the cookie itself.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::{HeaderValue, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::{
    client_ip,
    db::now_ms,
    repo::{self, users::UserRow},
    settings::Settings,
    state::AppState,
    tokens,
};
use crate::domain::AcademyId;
use crate::{
    domain::{account::AccountStatus, permission::Permission},
    error::AppError,
};

/// The session cookie's name over http. Over https it carries the `__Host-` prefix
/// (`session_cookie`): browsers then accept it only with `Secure`, `Path=/` and no `Domain`, so a
/// page of some other subdomain can neither set nor shadow it.
pub const SESSION_COOKIE: &str = "shoal_session";
pub const SESSION_TTL_MS: i64 = 14 * crate::domain::DAY_MS;

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub academy_id: AcademyId,
    pub user: UserRow,
}

#[derive(Debug, Clone)]
pub enum Session {
    None,
    Expired,
    Active(SessionUser),
}

/// The value of one cookie in a `Cookie` header list.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// `name` as this Shoal's cookies are called: `__Host-name` when the base URL is https.
pub fn cookie_name(settings: &Settings, name: &'static str) -> std::borrow::Cow<'static, str> {
    if settings.secure_cookies() {
        format!("__Host-{name}").into()
    } else {
        name.into()
    }
}

pub fn session_cookie(settings: &Settings) -> std::borrow::Cow<'static, str> {
    cookie_name(settings, SESSION_COOKIE)
}

/// Whether a request carries a session cookie at all, live or stale (no database look-up): a
/// page without one goes out compressed and loads the visitor bundle.
pub fn has_session_cookie(settings: &Settings, headers: &http::HeaderMap) -> bool {
    cookie_value(headers, &session_cookie(settings)).is_some()
}

/// The session token the browser presented, if any.
pub fn presented_token() -> Option<String> {
    let state = use_context::<AppState>()?;
    request_cookie(&session_cookie(&state.settings))
}

/// A cookie of the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    request_parts().and_then(|p| cookie_value(&p.headers, name))
}

/// Staff's "View as Learner" switch: it only changes what the academy link shows them, never what
/// anyone may do.
pub const VIEW_AS_LEARNER_COOKIE: &str = "shoal_view_as_learner";

pub fn set_view_as_learner_cookie(state: &AppState, on: bool) {
    let value = if on {
        "1; Max-Age=86400"
    } else {
        "; Max-Age=0"
    };
    set_cookie(format!(
        "{}={value}; {}",
        cookie_name(&state.settings, VIEW_AS_LEARNER_COOKIE),
        cookie_attributes(state)
    ));
}

/// Whether staff asked to see the academy as a learner does.
pub fn viewing_as_learner(state: &AppState) -> bool {
    request_cookie(&cookie_name(&state.settings, VIEW_AS_LEARNER_COOKIE)).as_deref() == Some("1")
}

/// Which client is this: what every rate limit counts (`client_ip::limiter_key` of the address
/// `client_ip::client_addr` believes), from the current request.
pub fn client_ip() -> String {
    let state = use_context::<AppState>();
    request_parts()
        .and_then(|p| {
            let peer = p.extensions.get::<ConnectInfo<SocketAddr>>()?.0;
            Some(client_key(state.as_ref()?, peer, &p.headers))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// `client_ip` for handlers that hold the request themselves (the JSON API).
pub fn client_key(state: &AppState, peer: SocketAddr, headers: &http::HeaderMap) -> String {
    let addr = client_ip::client_addr(peer.ip(), headers, &state.settings.trusted_proxies);
    client_ip::limiter_key(addr)
}

pub async fn current(state: &AppState) -> Result<Session, AppError> {
    session_of(state, presented_token()).await
}

/// The session of a session token (the cookie's value), if it is live.
async fn session_of(state: &AppState, token: Option<String>) -> Result<Session, AppError> {
    let Some(token) = token else {
        return Ok(Session::None);
    };
    let hash = tokens::token_hash(&state.settings.secret, &token);
    let Some(row) = repo::sessions::find(&state.db.pool, &hash).await? else {
        clear_session_cookie(state);
        return Ok(Session::Expired);
    };
    if row.expires_at < now_ms() {
        repo::sessions::delete(&state.db.pool, &hash).await?;
        clear_session_cookie(state);
        return Ok(Session::Expired);
    }
    match repo::users::by_id(&state.db.pool, row.academy_id, row.user_id).await? {
        Some(user) if user.status == AccountStatus::Active => Ok(Session::Active(SessionUser {
            academy_id: row.academy_id,
            user,
        })),
        _ => Ok(Session::Expired),
    }
}

/// Whether `headers` carry the cookie of a live session: for what is decided before a server
/// function runs (how large a body may be). The function itself still authorises.
pub async fn has_live_session(state: &AppState, headers: &http::HeaderMap) -> bool {
    let Some(token) = cookie_value(headers, &session_cookie(&state.settings)) else {
        return false;
    };
    let hash = tokens::token_hash(&state.settings.secret, &token);
    matches!(
        repo::sessions::find(&state.db.pool, &hash).await,
        Ok(Some(row)) if row.expires_at > now_ms()
    )
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user(state: &AppState) -> Result<SessionUser, AppError> {
    match current(state).await? {
        Session::Active(u) => Ok(u),
        _ => Err(AppError::Unauthorized),
    }
}

/// The signed-in user if their role holds `permission` (the matrix in `domain::permission`), else
/// `Unauthorized` (nobody signed in) or `Forbidden` naming what the role lacks. Every server function
/// and API route that acts for a person starts here.
pub async fn require(state: &AppState, permission: Permission) -> Result<SessionUser, AppError> {
    permitted(require_user(state).await?, permission)
}

fn permitted(u: SessionUser, permission: Permission) -> Result<SessionUser, AppError> {
    if u.user.role.can(permission) {
        Ok(u)
    } else {
        Err(AppError::Forbidden(permission.refusal().to_owned()))
    }
}

/// `require` for handlers that hold the request themselves (the CSV exports): the session comes
/// from the cookie in `headers`.
pub async fn require_in(
    state: &AppState,
    headers: &http::HeaderMap,
    permission: Permission,
) -> Result<SessionUser, AppError> {
    let token = cookie_value(headers, &session_cookie(&state.settings));
    match session_of(state, token).await? {
        Session::Active(u) => permitted(u, permission),
        _ => Err(AppError::Unauthorized),
    }
}

fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

fn cookie_attributes(state: &AppState) -> &'static str {
    if state.settings.secure_cookies() {
        "Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "Path=/; HttpOnly; SameSite=Lax"
    }
}

pub fn set_session_cookie(state: &AppState, token: &str) {
    set_cookie(format!(
        "{}={token}; Max-Age={}; {}",
        session_cookie(&state.settings),
        SESSION_TTL_MS / 1000,
        cookie_attributes(state)
    ));
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(format!(
        "{}=; Max-Age=0; {}",
        session_cookie(&state.settings),
        cookie_attributes(state)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = http::HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; shoal_session=tok; b=2"),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("tok"));
        assert_eq!(cookie_value(&h, "missing"), None);
    }
}
