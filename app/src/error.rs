//! The one error type of Shoal. Every variant but `Internal` is safe to show as is: it speaks about the user's
//! own input. `Internal` carries only a reference id; the detail is logged on the server under that id.

use serde::{Deserialize, Serialize};

mod decode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Sent as `{"kind": "<variant in snake_case>", "detail": …}`; read back by hand (`decode.rs`,
/// which says why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The input is wrong; `fields` says which field and why.
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The input clashes with something that exists (a taken slug, a used email).
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<String>,
    },
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Reached the server failed (network) — only ever built in the browser.
    #[error("{0}")]
    Network(String),
    #[error(
        "Something went wrong on our side and nothing was changed. If it happens again, give your administrator this reference: {request_id}"
    )]
    Internal { request_id: String },
}

impl AppError {
    /// One field is wrong.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Validation {
            message: message.clone(),
            fields: vec![FieldError {
                field: field.to_string(),
                message,
            }],
        }
    }

    /// Several fields are wrong at once; `None` when the list is empty.
    pub fn from_fields(fields: Vec<FieldError>) -> Option<Self> {
        if fields.is_empty() {
            return None;
        }
        let message = if fields.len() == 1 {
            fields[0].message.clone()
        } else {
            "Some fields need your attention.".to_string()
        };
        Some(AppError::Validation { message, fields })
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("You don't have permission to do that.".to_string())
    }

    /// The message for one form field, if this error is about it.
    pub fn field_message(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation { fields, .. } => fields
                .iter()
                .find(|f| f.field == name)
                .map(|f| f.message.clone()),
            AppError::Conflict {
                message,
                field: Some(field),
            } if field == name => Some(message.clone()),
            _ => None,
        }
    }

    /// True when the error belongs to a field, so a form shows it there rather than on top.
    pub fn is_field_error(&self) -> bool {
        matches!(
            self,
            AppError::Validation { .. } | AppError::Conflict { field: Some(_), .. }
        )
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::PayloadTooLarge(_) => 413,
            AppError::Network(_) => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// Logs `detail` under a fresh reference id and returns the error the user sees.
    #[cfg(feature = "ssr")]
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let request_id = crate::server::request_id::current_or_new();
        tracing::error!(%request_id, error = %detail, "internal error");
        AppError::Internal { request_id }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // PostgreSQL refuses text holding a NUL character (SQLSTATE 22021; SQLite stores it): the
        // sender's input, on any path that did not refuse it earlier, not a fault of ours.
        if let sqlx::Error::Database(db) = &e
            && db.code().as_deref() == Some(NUL_REFUSED)
        {
            return AppError::BadRequest(
                "The text sent contains a NUL character (\\0), which Shoal does not store. Remove it and try again."
                    .into(),
            );
        }
        AppError::internal(format!("database: {e}"))
    }
}

/// PostgreSQL's "character not in repertoire": a NUL byte in text.
#[cfg(feature = "ssr")]
const NUL_REFUSED: &str = "22021";

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::MissingArg(m) | E::Deserialization(m) => {
                AppError::BadRequest(format!("The request could not be read: {m}"))
            }
            E::Request(m) | E::Response(m) => AppError::Network(format!(
                "Could not reach Shoal ({m}). Check your connection and try again."
            )),
            E::UnsupportedRequestMethod(m) => AppError::BadRequest(m),
            E::Registration(m)
            | E::ServerError(m)
            | E::MiddlewareError(m)
            | E::Serialization(m) => {
                #[cfg(feature = "ssr")]
                {
                    AppError::internal(m)
                }
                #[cfg(not(feature = "ssr"))]
                {
                    AppError::Network(format!("The server's answer could not be read: {m}"))
                }
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_is_found_by_its_field_name() {
        let e = AppError::invalid("email", "Enter an email address");
        assert_eq!(
            e.field_message("email").as_deref(),
            Some("Enter an email address")
        );
        assert_eq!(e.field_message("password"), None);
        assert_eq!(e.status(), 422);
    }

    #[test]
    fn an_internal_error_shows_only_its_reference() {
        let e = AppError::Internal {
            request_id: "r-123".into(),
        };
        let text = e.to_string();
        assert!(text.contains("r-123"));
        assert!(!text.contains("database"));
    }
}
