//! Reading an [`AppError`] back from the JSON its derived `Serialize` writes
//! (`{"kind": "conflict", "detail": {"message": …, "field": …}}`), written by hand.
//!
//! serde's derive for an adjacently tagged enum buffers `detail` in its generic `Content` tree
//! (the tag may come after it), and the browser's WASM carried that code once per JSON reader:
//! ~40 KB raw, 4.9 KB brotli, on every page, for reading an error. Here `detail` is read into
//! one flat shape whatever the kind (a sentence, or an object whose fields are all optional), and
//! the kind then says which of them it needs; a missing one is an error that names it.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::{AppError, FieldError};

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Wire { kind, detail } = Wire::deserialize(deserializer)?;
        from_wire(&kind, detail).map_err(de::Error::custom)
    }
}

#[derive(Deserialize)]
struct Wire {
    kind: String,
    detail: Option<Detail>,
}

/// `detail` as the variants write it: one sentence, or an object.
enum Detail {
    Sentence(String),
    Object(DetailFields),
}

/// Every field any variant's object has.
#[derive(Deserialize)]
struct DetailFields {
    message: Option<String>,
    fields: Option<Vec<FieldError>>,
    field: Option<String>,
    retry_after_secs: Option<u64>,
    request_id: Option<String>,
}

fn from_wire(kind: &str, detail: Option<Detail>) -> Result<AppError, String> {
    let sentence = |detail: Option<Detail>| match detail {
        Some(Detail::Sentence(text)) => Ok(text),
        _ => Err(format!(
            "an error of kind \"{kind}\" needs a sentence as its detail"
        )),
    };
    let object = |detail: Option<Detail>| match detail {
        Some(Detail::Object(fields)) => Ok(fields),
        _ => Err(format!(
            "an error of kind \"{kind}\" needs an object as its detail"
        )),
    };
    let needed = |name: &str| format!("an error of kind \"{kind}\" needs \"{name}\" in its detail");
    Ok(match kind {
        "validation" => {
            let detail = object(detail)?;
            AppError::Validation {
                message: detail.message.ok_or_else(|| needed("message"))?,
                fields: detail.fields.ok_or_else(|| needed("fields"))?,
            }
        }
        "unauthorized" => AppError::Unauthorized,
        "forbidden" => AppError::Forbidden(sentence(detail)?),
        "not_found" => AppError::NotFound(sentence(detail)?),
        "conflict" => {
            let detail = object(detail)?;
            AppError::Conflict {
                message: detail.message.ok_or_else(|| needed("message"))?,
                field: detail.field,
            }
        }
        "rate_limited" => {
            let detail = object(detail)?;
            AppError::RateLimited {
                message: detail.message.ok_or_else(|| needed("message"))?,
                retry_after_secs: detail
                    .retry_after_secs
                    .ok_or_else(|| needed("retry_after_secs"))?,
            }
        }
        "bad_request" => AppError::BadRequest(sentence(detail)?),
        "payload_too_large" => AppError::PayloadTooLarge(sentence(detail)?),
        "network" => AppError::Network(sentence(detail)?),
        "internal" => AppError::Internal {
            request_id: object(detail)?
                .request_id
                .ok_or_else(|| needed("request_id"))?,
        },
        other => return Err(format!("\"{other}\" is not a kind of error")),
    })
}

impl<'de> Deserialize<'de> for Detail {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DetailVisitor)
    }
}

struct DetailVisitor;

impl<'de> Visitor<'de> for DetailVisitor {
    type Value = Detail;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sentence or an object")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Detail, E> {
        Ok(Detail::Sentence(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Detail, E> {
        Ok(Detail::Sentence(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Detail, A::Error> {
        DetailFields::deserialize(de::value::MapAccessDeserializer::new(map)).map(Detail::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<AppError> {
        vec![
            AppError::Validation {
                message: "Some fields need your attention.".into(),
                fields: vec![
                    FieldError {
                        field: "email".into(),
                        message: "Enter an email address".into(),
                    },
                    FieldError {
                        field: "name".into(),
                        message: "Enter a name".into(),
                    },
                ],
            },
            AppError::Unauthorized,
            AppError::Forbidden("You don't have permission to do that.".into()),
            AppError::NotFound("No such team".into()),
            AppError::Conflict {
                message: "That address is taken".into(),
                field: Some("email".into()),
            },
            AppError::Conflict {
                message: "The list changed".into(),
                field: None,
            },
            AppError::RateLimited {
                message: "Too many".into(),
                retry_after_secs: 60,
            },
            AppError::BadRequest("The request could not be read".into()),
            AppError::PayloadTooLarge("The file is over 10 MB".into()),
            AppError::Network("Could not reach Shoal".into()),
            AppError::Internal {
                request_id: "r-123".into(),
            },
        ]
    }

    #[test]
    fn every_kind_of_error_reads_back_as_it_was_written() {
        for error in every_variant() {
            let json = serde_json::to_string(&error).unwrap();
            let back: AppError =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, error, "{json}");
            let from_bytes: AppError = serde_json::from_slice(json.as_bytes()).unwrap();
            assert_eq!(from_bytes, error, "{json}");
        }
    }

    #[test]
    fn the_wire_format_is_kind_and_detail() {
        let read = |json: &str| serde_json::from_str::<AppError>(json).unwrap();
        assert_eq!(read(r#"{"kind":"unauthorized"}"#), AppError::Unauthorized);
        assert_eq!(
            read(r#"{"kind":"not_found","detail":"No such team"}"#),
            AppError::NotFound("No such team".into())
        );
        // The detail may come first, and unknown fields are passed over.
        assert_eq!(
            read(
                r#"{"detail":{"retry_after_secs":5,"message":"Wait","extra":1},"kind":"rate_limited"}"#
            ),
            AppError::RateLimited {
                message: "Wait".into(),
                retry_after_secs: 5
            }
        );
        assert_eq!(
            read(r#"{"kind":"conflict","detail":{"message":"Taken","field":null}}"#),
            AppError::Conflict {
                message: "Taken".into(),
                field: None
            }
        );
    }

    #[test]
    fn an_unknown_kind_or_a_missing_detail_is_an_error_that_names_it() {
        let error = |json: &str| {
            serde_json::from_str::<AppError>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(
            error(r#"{"kind":"teapot","detail":"x"}"#)
                .contains("\"teapot\" is not a kind of error")
        );
        assert!(error(r#"{"kind":"forbidden"}"#).contains("\"forbidden\" needs a sentence"));
        assert!(
            error(r#"{"kind":"internal","detail":"r-1"}"#).contains("\"internal\" needs an object")
        );
        assert!(
            error(r#"{"kind":"rate_limited","detail":{"message":"Wait"}}"#)
                .contains("needs \"retry_after_secs\"")
        );
        assert!(error(r#"{"detail":"x"}"#).contains("kind"));
    }
}
