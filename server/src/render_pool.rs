//! Pages render on threads of their own: one single-threaded runtime per core.
//!
//! Leptos 0.8 can hang a multi-threaded server when a page's resources resolve on one worker
//! thread while its `<Suspense>` runs on another (leptos-rs/leptos#4673 and #4851, a lock-ordering
//! inversion in reactive_graph 0.2, fixed in 0.3, which only Leptos 0.9 uses). A render that runs
//! wholly on one thread cannot interleave with itself that way, so every page render runs here:
//! the render's own tasks (its resources, the server functions they call, Leptos' effects) are
//! spawned onto the same thread, and the body is collected there too (pages render in
//! `SsrMode::Async`, so the whole page is ready at once anyway) before it goes back to the
//! connection. Server functions called by the browser, the JSON API and static files stay on the
//! main runtime. `tests/ssr_under_load.rs` loads every page thousands of times at once to keep
//! this true.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tokio_util::task::LocalPoolHandle;

/// The largest page Shoal renders (the biggest list page is well under 1 MB).
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone)]
pub struct RenderPool(LocalPoolHandle);

impl RenderPool {
    /// `threads` single-threaded runtimes (one per core is plenty: a render waits on the database
    /// without holding its thread).
    pub fn new(threads: usize) -> RenderPool {
        RenderPool(LocalPoolHandle::new(threads.max(1)))
    }
}

/// A page of the app rather than a server function, an API call or a file.
fn is_page_render(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/api/", "/pkg/", "/dev/", "/oauth/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
        && path != "/healthz"
}

/// Middleware: runs page renders on the pool; everything else passes straight through.
pub async fn render_on_pool(State(pool): State<RenderPool>, req: Request, next: Next) -> Response {
    if !is_page_render(&req) {
        return next.run(req).await;
    }
    let rendered = pool.0.spawn_pinned(move || async move {
        let (parts, body) = next.run(req).await.into_parts();
        match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
            Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
            Err(e) => {
                tracing::error!(error = %e, "a page render failed while streaming its body");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    });
    match rendered.await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "a page render panicked or was cancelled");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
