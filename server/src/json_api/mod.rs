//! The external API as plain axum routes with stable URLs, compatible with the reference product:
//! `POST /oauth/token` (OAuth 2.0 client credentials) and `POST /api/v1/` (`action` + `options`),
//! plus the OpenAPI document. Mounted outside the browser's Origin check: callers authenticate with
//! a bearer token, never with a session cookie.

pub mod form;
pub mod openapi;
pub mod token;
pub mod v1;

use app::{error::AppError, model::api_v1::ErrorAnswer, server::state::AppState};
use axum::{
    Json, Router,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{any, get, post},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/token", post(token::handle))
        .route("/api/v1", post(v1::handle))
        .route("/api/v1/", post(v1::handle))
        .route("/api/v1/openapi.json", get(openapi::handle))
        .route("/api/v1/{*rest}", any(unknown_path))
}

/// Any other path under `/api/v1/`: 404 in the API's envelope (not the browser's Origin check).
async fn unknown_path() -> Response {
    error(&AppError::NotFound(
        "No such endpoint. Every action is POST /api/v1/ with {\"action\": …, \"options\": {…}}; the description is at GET /api/v1/openapi.json.".into(),
    ))
}

/// True for the paths this module answers (their errors use the API's envelope).
pub fn owns(path: &str) -> bool {
    path == "/oauth/token" || path == "/api/v1" || path.starts_with("/api/v1/")
}

/// `{"error": {"message": "…"}}` with the error's status (and `Retry-After` for 429).
pub fn error(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let message = match e {
        AppError::Unauthorized => {
            "Missing, unknown, expired or revoked access token. Get one at POST /oauth/token and send it as \"Authorization: Bearer <token>\".".to_string()
        }
        other => other.to_string(),
    };
    let mut res = (status, Json(ErrorAnswer::new(message))).into_response();
    if let AppError::RateLimited {
        retry_after_secs, ..
    } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if matches!(e, AppError::Unauthorized) {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"shoal\""),
        );
    }
    res
}

/// Which of the two body encodings a request declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Form,
}

pub fn encoding(headers: &axum::http::HeaderMap) -> Option<Encoding> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ct.starts_with("application/json") || ct.contains("+json") {
        Some(Encoding::Json)
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        Some(Encoding::Form)
    } else {
        None
    }
}
