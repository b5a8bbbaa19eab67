//! `POST /api/v1/`: `{"action": "…", "options": {…}}` as JSON or bracket-notation form, with the
//! bearer token in `Authorization` ("Bearer <token>" or the bare token).

use app::{
    error::AppError,
    server::{
        services::{
            api_actions::{self, Answer, LearnerPages},
            api_clients,
        },
        state::AppState,
    },
};
use axum::{
    Json,
    body::{Body, Bytes},
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::{Encoding, encoding, form};

/// The token of `Authorization: Bearer <token>` or of a bare `Authorization: <token>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        Some(_) => return None,
        None => value,
    };
    (!token.is_empty()).then_some(token)
}

/// `Idempotency-Key`: 8–64 letters, digits, dashes or underscores.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v.to_str().unwrap_or_default().trim();
    if (8..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(Some(key))
    } else {
        Err(AppError::BadRequest(
            "The Idempotency-Key header must be 8–64 letters, digits, dashes or underscores."
                .into(),
        ))
    }
}

fn read_body(headers: &HeaderMap, body: &[u8]) -> Result<(String, Value), AppError> {
    let parsed = match encoding(headers) {
        Some(Encoding::Form) => form::to_json(body).map_err(AppError::BadRequest)?,
        Some(Encoding::Json) => serde_json::from_slice(body).map_err(|e| {
            AppError::BadRequest(format!(
                "The body is not valid JSON ({e}). Send {{\"action\": \"getTeams\", \"options\": {{}}}}."
            ))
        })?,
        // No content type: JSON if it reads as JSON, a form otherwise.
        None => match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => form::to_json(body).map_err(AppError::BadRequest)?,
        },
    };
    let Value::Object(mut map) = parsed else {
        return Err(AppError::BadRequest(
            "The body must be an object: {\"action\": \"getTeams\", \"options\": {}}.".into(),
        ));
    };
    let action = match map.remove("action") {
        Some(Value::String(s)) => s,
        None => String::new(),
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "\"action\" must be the name of an action, not {other}."
            )));
        }
    };
    Ok((action, map.remove("options").unwrap_or(Value::Null)))
}

pub async fn handle(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(token) = bearer(&headers) else {
        return super::error(&AppError::Unauthorized);
    };
    let caller = match api_clients::authenticate(&state, token).await {
        Ok(c) => c,
        Err(e) => return super::error(&e),
    };
    let budget = match api_clients::take_call(&state, &caller).await {
        Ok(b) => b,
        Err(e) => return with_limit(super::error(&e), state.settings.api_limit.burst, 0),
    };
    let answer = async {
        let key = idempotency_key(&headers)?;
        let (action, options) = read_body(&headers, &body)?;
        api_actions::run(&state, &caller, &action, &options, key).await
    }
    .await;
    let res = match answer {
        Ok(Answer::Whole(v)) => Json(v).into_response(),
        Ok(Answer::EveryLearner(pages)) => every_learner(state, pages),
        Err(e) => super::error(&e),
    };
    with_limit(res, budget.limit, budget.remaining)
}

/// One JSON array written a page of learners at a time, as the pages are read. The status line has
/// gone out by then, so a database error midway ends the body early, which leaves the JSON
/// unfinished: a client cannot take a cut list for a whole one.
fn every_learner(state: AppState, pages: LearnerPages) -> Response {
    enum Step {
        Open,
        Rows { first: bool },
        Closed,
    }
    let body = futures::stream::unfold(
        (Step::Open, state, pages),
        |(step, state, mut pages)| async move {
            let first = match step {
                Step::Open => {
                    let open = Bytes::from_static(b"[");
                    return Some((Ok(open), (Step::Rows { first: true }, state, pages)));
                }
                Step::Rows { first } => first,
                Step::Closed => return None,
            };
            match pages.next(&state).await {
                Ok(rows) if rows.is_empty() => {
                    Some((Ok(Bytes::from_static(b"]")), (Step::Closed, state, pages)))
                }
                Ok(rows) => {
                    let mut chunk = Vec::with_capacity(rows.len() * 256);
                    for (i, row) in rows.iter().enumerate() {
                        if !(first && i == 0) {
                            chunk.push(b',');
                        }
                        // A learner (strings, numbers, lists) always serialises.
                        let _ = serde_json::to_writer(&mut chunk, row);
                    }
                    let next = (Step::Rows { first: false }, state, pages);
                    Some((Ok(Bytes::from(chunk)), next))
                }
                Err(e) => {
                    tracing::error!(error = %e, "the learners list stopped midway");
                    let cut = std::io::Error::other(e.to_string());
                    Some((Err(cut), (Step::Closed, state, pages)))
                }
            }
        },
    );
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(body),
    )
        .into_response()
}

fn with_limit(mut res: Response, limit: i64, remaining: i64) -> Response {
    for (name, value) in [
        ("x-ratelimit-limit", limit),
        ("x-ratelimit-remaining", remaining),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            res.headers_mut().insert(name, v);
        }
    }
    res
}
