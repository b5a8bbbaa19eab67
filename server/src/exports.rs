//! `GET /api/export/learners.csv` and `GET /api/export/invites.csv` (`?search=…&filter=…`): the
//! "Export CSV" links of the All Learners and Invites tabs. Plain links, so they work before the
//! page's WASM has loaded; the signed-in admin's session says which academy. The file streams out a
//! page of rows at a time (`services::exports`).

use app::{
    domain::permission::Permission,
    error::AppError,
    server::{
        auth,
        services::exports::{ExportList, ListExport},
        state::AppState,
    },
};
use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/export/learners.csv",
            get(|state, headers, query| export(state, headers, query, ExportList::Learners)),
        )
        .route(
            "/api/export/invites.csv",
            get(|state, headers, query| export(state, headers, query, ExportList::Invites)),
        )
}

#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    #[serde(default)]
    search: String,
    #[serde(default)]
    filter: String,
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
    list: ExportList,
) -> Response {
    let started = async {
        let actor = auth::require_in(&state, &headers, Permission::ManageLearners).await?;
        ListExport::new(&actor, list, q.search.trim(), q.filter.trim())
    }
    .await;
    let export = match started {
        Ok(export) => export,
        Err(e) => return refused(&e),
    };
    let disposition = format!("attachment; filename=\"{}\"", export.file_name());
    let body = futures::stream::unfold(Some((state, export)), |next| async move {
        let (state, mut export) = next?;
        match export.next(&state).await {
            Ok(Some(part)) => Some((Ok(Bytes::from(part)), Some((state, export)))),
            Ok(None) => None,
            Err(e) => {
                // The status line is out: ending the body early is all that is left, and the
                // browser reports the download as failed rather than saving a cut file.
                tracing::error!(error = %e, "an export stopped midway");
                Some((Err(std::io::Error::other(e.to_string())), None))
            }
        }
    });
    let mut res = Body::from_stream(body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The reason in words, for a person who followed a link.
fn refused(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let message = match e {
        AppError::Unauthorized => {
            "Your session has ended. Sign in again, then export from the list.".to_owned()
        }
        other => other.to_string(),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
