//! `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), with client
//! authentication in the body (form or JSON) or with HTTP Basic (§2.3.1). Errors per §5.2.

use std::net::SocketAddr;

use app::server::{
    rate_limit::{self, Limit},
    services::api_clients::{self, GrantError},
    state::AppState,
};
use axum::{
    Json,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use super::{Encoding, encoding, form};

/// Failed client authentications per address before the endpoint answers 429.
const FAILURES_PER_IP: Limit = Limit {
    max: 30,
    window_ms: 15 * 60 * 1000,
};
const WHAT: &str = "failed attempts to get an API token from this address";

/// RFC 6749 §5.2 error body; `invalid_client` is 401.
fn oauth_error(code: &str, description: &str, basic: bool) -> Response {
    let status = if code == "invalid_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut res = (
        status,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response();
    no_store(&mut res);
    if basic && status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"shoal\""),
        );
    }
    res
}

fn no_store(res: &mut Response) {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// `client_id:client_secret` from an HTTP Basic header (each part form-urlencoded, §2.3.1):
/// `None` without such a header, `Some(None)` for one that cannot be read.
fn basic_credentials(headers: &HeaderMap) -> Option<Option<(String, String)>> {
    let value = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .unwrap_or_default();
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    Some(read_basic(rest))
}

fn read_basic(rest: &str) -> Option<(String, String)> {
    let decoded = STANDARD.decode(rest.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((unescape(id), unescape(secret)))
}

fn field(body: &Value, name: &str) -> Option<String> {
    match body.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = match encoding(&headers) {
        Some(Encoding::Json) => match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                return oauth_error(
                    "invalid_request",
                    "The body is not a JSON object like {\"grant_type\": \"client_credentials\", \"client_id\": \"…\", \"client_secret\": \"…\"}",
                    false,
                );
            }
        },
        // Form is the standard encoding; a missing content type is read as a form too.
        _ => match form::to_json(&body) {
            Ok(v) => v,
            Err(m) => return oauth_error("invalid_request", &m, false),
        },
    };
    let basic = match basic_credentials(&headers) {
        Some(None) => {
            return oauth_error(
                "invalid_client",
                "The Authorization header is not HTTP Basic credentials: send base64 of client_id:client_secret, or the two in the body.",
                true,
            );
        }
        Some(Some(credentials)) => Some(credentials),
        None => None,
    };
    let (client_id, client_secret) = match &basic {
        Some((id, secret)) => (Some(id.clone()), Some(secret.clone())),
        None => (field(&body, "client_id"), field(&body, "client_secret")),
    };
    let bucket = format!(
        "oauth-token:{}",
        app::server::auth::client_key(&state, peer, &headers)
    );
    // Counted before the secret is compared (parallel guesses never pass the limit together) and
    // given back when it was right: the limit is on failures.
    let counted = match rate_limit::hit(&state.db, &bucket, FAILURES_PER_IP, WHAT).await {
        Ok(counted) => counted,
        Err(e) => return super::error(&e),
    };
    let granted = api_clients::grant(
        &state,
        field(&body, "grant_type").as_deref(),
        client_id.as_deref(),
        client_secret.as_deref(),
        field(&body, "scope").as_deref(),
    )
    .await;
    if !matches!(granted, Ok(Err(GrantError::InvalidClient)))
        && let Err(e) = rate_limit::refund(&state.db, &bucket, counted).await
    {
        return super::error(&e);
    }
    match granted {
        Ok(Ok(g)) => {
            let mut res = Json(json!({
                "token_type": "Bearer",
                "expires_in": g.expires_in,
                "access_token": g.access_token,
                "scope": g.scope,
            }))
            .into_response();
            no_store(&mut res);
            res
        }
        Ok(Err(GrantError::InvalidClient)) => oauth_error(
            "invalid_client",
            "Unknown client, wrong secret, or the application was revoked. Copy the Client ID and Client Secret from Settings → API.",
            basic.is_some(),
        ),
        Ok(Err(GrantError::InvalidRequest(m))) => oauth_error("invalid_request", &m, false),
        Ok(Err(GrantError::UnsupportedGrantType(m))) => {
            oauth_error("unsupported_grant_type", &m, false)
        }
        Ok(Err(GrantError::InvalidScope(m))) => oauth_error("invalid_scope", &m, false),
        Err(e) => super::error(&e),
    }
}
