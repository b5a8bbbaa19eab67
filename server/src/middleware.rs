//! Cross-cutting request handling: request ids and spans, security headers, the Origin check, and HTTP
//! statuses for server-function errors.

use app::{error::AppError, routes::CspNonce, server::request_id, server::state::AppState};
use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

/// 128 random bits as hex: enough for a CSP nonce.
fn nonce() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// Caps request bodies at `MAX_BODY_BYTES`; the look-up of a CSV file's addresses (one call for
/// the whole file, as the preview needs it) may carry as much as the largest file allowed, plus
/// the JSON quoting of each address — for a signed-in session only (nobody else gets to make the
/// server read megabytes).
pub async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use leptos::server_fn::ServerFn;
    use tower::{ServiceBuilder, ServiceExt};
    let limit = if req.uri().path() == app::api::imports::LookupEmails::PATH
        && app::server::auth::has_live_session(&state, req.headers()).await
    {
        let caps = state.settings.import_caps;
        caps.max_bytes + 4 * caps.max_rows + 64 * 1024
    } else {
        crate::MAX_BODY_BYTES
    };
    // A body without a length (chunked) is read here, so that one over the limit is refused with
    // 413 like a declared one, rather than failing inside the handler as a bad request.
    let req = if req.headers().contains_key(header::CONTENT_LENGTH) {
        req
    } else {
        let (parts, body) = req.into_parts();
        match to_bytes(body, limit).await {
            Ok(bytes) => Request::from_parts(parts, Body::from(bytes)),
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        }
    };
    let limited = ServiceBuilder::new()
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .map_request(|r: axum::http::Request<_>| r.map(Body::new))
        .service(next);
    match limited.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    }
}

/// A page asked for without a session goes out compressed, brotli or gzip as the browser accepts
/// (the sign-in, join and sign-up pages are a phone's first contact with Shoal: ~4 times
/// smaller). A request with a session cookie gets its page as it is: a signed-in page may hold a
/// secret (an invitation link) beside text taken from the address (a search), and compressing
/// both lets whoever sees the sizes of many such answers guess the secret a character at a time
/// (BREACH). Nothing but HTML, and only for GET; the WASM and the stylesheet are compressed once,
/// at build time (`assets`).
pub async fn compress_signed_out_pages(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    use tower::{ServiceBuilder, ServiceExt};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    if req.method() != Method::GET
        || app::server::auth::has_session_cookie(&state.settings, req.headers())
    {
        return next.run(req).await;
    }
    let html_only = |_: StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| {
        headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
    };
    // Level 5: the setup and 404 pages compress in 0.05-0.12 ms at 5, 2.5-3.8 ms at 11 (brotli,
    // measured), for ~12 % fewer bytes at 11 (~0.1-0.2 KB of a visitor's page): not worth 3 ms
    // of a render thread per request.
    let compressed = ServiceBuilder::new()
        .layer(
            CompressionLayer::new()
                .no_deflate()
                .no_zstd()
                .quality(CompressionLevel::Precise(5))
                .compress_when(html_only),
        )
        .service(next);
    match compressed.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    }
}

/// Gives every request an id (echoed as `x-request-id`), a tracing span, and one log line at the end.
pub async fn request_context(req: Request, next: Next) -> Response {
    let id = request_id::new_id();
    // Never the raw URI: invitation and reset links carry their token (`redact`).
    let path = crate::redact::loggable(req.uri());
    let span = tracing::info_span!("request", id = %id, method = %req.method(), path = %path);
    let started = std::time::Instant::now();
    let mut res = request_id::REQUEST_ID
        .scope(id.clone(), next.run(req))
        .instrument(span.clone())
        .await;
    let status = res.status().as_u16();
    span.in_scope(|| {
        let ms = started.elapsed().as_millis() as u64;
        if status >= 500 {
            tracing::error!(status, ms, "request failed");
        } else {
            tracing::info!(status, ms, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// CSP with a per-request nonce (the shell puts it on Leptos' scripts), and the other protective headers.
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let options = &state.leptos_options;
    // Set by `cargo leptos watch` for the server it starts; read once.
    static WATCHING: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("LEPTOS_WATCH").is_some());
    let reload = live_reload_source(
        state.settings.mode == app::server::settings::Mode::Dev,
        *WATCHING,
        options.reload_external_port.unwrap_or(options.reload_port),
    );
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'{reload}; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Same-origin requests keep their Referer (and so a real `Origin` on form posts, which
    // `origin_check` needs for forms sent before the WASM arrives); other sites never see a URL of
    // ours, so invitation and reset tokens stay here. (`no-referrer` made browsers send
    // `Origin: null` with every form post.)
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // Pages and answers carry people's data: never kept by the browser or a proxy. Files that may
    // be cached (`/pkg`, the favicon) say so themselves.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// `make run` (`cargo leptos watch`, which sets `LEPTOS_WATCH`) reloads the page after a change
/// over a WebSocket on its own port (Leptos' `AutoReload` script in the shell): the pages may
/// connect to it in dev mode while it watches, never otherwise (dev mode listens on loopback only).
fn live_reload_source(dev: bool, watching: bool, port: u32) -> String {
    if dev && watching {
        format!(" ws://*:{port}")
    } else {
        String::new()
    }
}

/// `Strict-Transport-Security` when the public address is https: browsers that saw it once go
/// straight to https for a year, so nobody on the way can serve them a plain-http page (or read a
/// cookie) first.
pub async fn strict_transport_security(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if state.settings.https() {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// State changes only from pages of this Shoal: a POST (or other unsafe method) must carry an `Origin`
/// equal to the configured base URL.
pub async fn origin_check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe {
        return next.run(req).await;
    }
    let expected = state.settings.origin();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    match origin {
        Some(o) if o.eq_ignore_ascii_case(expected) => next.run(req).await,
        Some(o) => error_response(AppError::Forbidden(format!(
            "This request came from {o}, but this Shoal is served at {expected}. Open Shoal at {expected} and try again."
        ))),
        None => error_response(AppError::Forbidden(
            "This request was refused because it did not say which page it came from (no Origin header).".into(),
        )),
    }
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let body = serde_json::to_string(&e).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Server functions answer every error with 500; this gives each `AppError` its real status (422, 401,
/// 404, 429 with `Retry-After`, …) so that clients and logs see what happened.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let api = crate::json_api::owns(req.uri().path());
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&res) {
        let e = AppError::PayloadTooLarge(format!(
            "The request is larger than the {} KB Shoal accepts.",
            crate::MAX_BODY_BYTES / 1024
        ));
        return if api {
            crate::json_api::error(&e)
        } else {
            error_response(e)
        };
    }
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited {
            retry_after_secs, ..
        } = e
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, v);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::live_reload_source;

    #[test]
    fn make_run_s_live_reload_may_connect_in_dev_mode_while_watching_only() {
        assert_eq!(live_reload_source(true, true, 3001), " ws://*:3001");
        assert_eq!(live_reload_source(true, false, 3001), "");
        assert_eq!(live_reload_source(false, true, 3001), "");
        assert_eq!(live_reload_source(false, false, 3001), "");
    }
}
