//! The dev mailbox: with no `SHOAL_SMTP_URL`, mail is written to `<data_dir>/mailbox` instead of being sent,
//! so that `make run` works with nothing installed. Each message is `<unix_ms>-<message_id>.eml` (the full RFC
//! 5322 bytes) plus a `.json` sidecar that the `/dev/mailbox` page reads.

use std::path::{Path, PathBuf};

use lettre::{Message, message::Mailbox};
use serde::{Deserialize, Serialize};

use super::message::OutgoingEmail;
use crate::server::settings::Settings;

/// What the page shows of one message (the `.json` sidecar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMessage {
    /// `Name <address>` as in the `To` header.
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub message_id: String,
    /// File name of the `.eml` next to the sidecar.
    pub file: String,
}

impl DevMessage {
    /// `2025-01-31 14:05:09 UTC`.
    pub fn created_at_text(&self) -> String {
        let format =
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
        time::OffsetDateTime::from_unix_timestamp_nanos(self.created_at as i128 * 1_000_000)
            .ok()
            .and_then(|t| t.format(&format).ok())
            .unwrap_or_else(|| self.created_at.to_string())
    }
}

#[derive(Clone, Debug)]
pub struct DevMailbox {
    dir: PathBuf,
    from: Mailbox,
}

/// `<data_dir>/mailbox`.
pub fn dir_for(settings: &Settings) -> PathBuf {
    settings.data_dir.join("mailbox")
}

/// A message id as a file-name part: anything but `[A-Za-z0-9._@-]` becomes `_`.
fn file_safe(id: &str) -> String {
    id.chars()
        .take(120)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl DevMailbox {
    pub fn new(dir: impl Into<PathBuf>, from: Mailbox) -> DevMailbox {
        DevMailbox {
            dir: dir.into(),
            from,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Writes the `.eml` and then its sidecar (through a temporary name, so `list` never reads half a file).
    pub async fn deliver(
        &self,
        email: &OutgoingEmail,
        message: &Message,
    ) -> Result<DevMessage, String> {
        let created_at = now_ms();
        let stem = format!("{created_at}-{}", file_safe(&email.message_id));
        let dev = DevMessage {
            to: {
                let name = super::message::header_safe(&email.to_name);
                let address = email.to_email.trim();
                if name.is_empty() {
                    address.to_string()
                } else {
                    format!("{name} <{address}>")
                }
            },
            subject: super::message::header_safe(&email.subject),
            text: email.text.clone(),
            created_at,
            message_id: email.message_id.clone(),
            file: format!("{stem}.eml"),
        };
        let json = serde_json::to_vec_pretty(&dev)
            .map_err(|e| format!("cannot encode the dev mailbox entry: {e}"))?;
        let failed = |what: &Path, e: std::io::Error| {
            format!("cannot write the dev mailbox file {}: {e}", what.display())
        };
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| failed(&self.dir, e))?;
        let eml = self.dir.join(&dev.file);
        tokio::fs::write(&eml, message.formatted())
            .await
            .map_err(|e| failed(&eml, e))?;
        let sidecar = self.dir.join(format!("{stem}.json"));
        let partial = self.dir.join(format!(".{stem}.json.partial"));
        tokio::fs::write(&partial, json)
            .await
            .map_err(|e| failed(&partial, e))?;
        tokio::fs::rename(&partial, &sidecar)
            .await
            .map_err(|e| failed(&sidecar, e))?;
        Ok(dev)
    }

    /// The newest `limit` messages, newest first. Unreadable entries are skipped.
    pub fn list(&self, limit: usize) -> Vec<DevMessage> {
        list_dir(&self.dir, limit)
    }
}

/// The newest `limit` messages in `dir`, newest first (an absent folder is an empty mailbox).
pub fn list_dir(dir: &Path, limit: usize) -> Vec<DevMessage> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<(i64, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && !name.starts_with('.'))
        .map(|name| {
            let ms = name
                .split('-')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (ms, name)
        })
        .collect();
    names.sort_by(|a, b| b.cmp(a));
    names
        .into_iter()
        .filter_map(|(_, name)| {
            let bytes = std::fs::read(dir.join(name)).ok()?;
            serde_json::from_slice::<DevMessage>(&bytes).ok()
        })
        .take(limit)
        .collect()
}
