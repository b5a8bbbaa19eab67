//! Where a form goes next when the browser itself sent it (before the WASM arrived, or without
//! JavaScript): a real redirect, so every entry form works as plain HTML.
//!
//! With JavaScript, a server function answers with data (the path to go to) and the page moves
//! on by itself. Sent by the browser as a plain form post (`Accept: text/html`), the same call
//! answers with a redirect: Leptos sends such a post back to the page it came from (with the
//! error in the query when there was one, which the page shows); `go` sends it to `path` instead.

use leptos::prelude::*;

/// True when the current request is a form the browser posted itself (it accepts HTML).
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// `path`, and for a plain form post a redirect (303) there too.
pub fn go(path: String) -> String {
    if is_plain_form_post() {
        leptos_axum::redirect(&path);
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            // "See other": the browser follows with a GET, never re-posting the form.
            res.set_status(http::StatusCode::SEE_OTHER);
        }
    }
    path
}
