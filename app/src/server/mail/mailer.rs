//! Sending: SMTP through a pool of lettre connections ([`super::smtp_pool`]) when `SHOAL_SMTP_URL` is set, the dev mailbox
//! otherwise. Failures say whether a retry can help (`permanent`) in one short line that never contains
//! the SMTP URL or its credentials.

use std::{fmt, sync::Arc, time::Duration};

use lettre::{Message, message::Mailbox, transport::smtp::Error as SmtpError};

use super::{
    dev_mailbox::{self, DevMailbox},
    message::{self, OutgoingEmail},
    smtp_pool::{SmtpConfig, SmtpFailure, SmtpPool},
};
use crate::server::settings::Settings;

/// How long one SMTP connection attempt or command may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections kept open between messages (the outbox worker sends up to 16 at once).
const SMTP_POOL_IDLE: usize = 32;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        pool: Arc<SmtpPool>,
        from: Mailbox,
        /// `host:port` of the SMTP server, for messages and logs (never the URL: it may hold a password).
        server: String,
    },
    DevMailbox(DevMailbox),
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Why a message was not sent. `permanent` when the SMTP server refused it with a 5xx (or the message
/// itself is unusable): retrying cannot help. Otherwise (connection refused, timeout, 4xx) try again later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub permanent: bool,
    pub message: String,
}

impl fmt::Display for SendFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendFailure {}

impl SendFailure {
    fn transient(message: impl Into<String>) -> Self {
        SendFailure {
            permanent: false,
            message: message.into(),
        }
    }
    fn permanent(message: impl Into<String>) -> Self {
        SendFailure {
            permanent: true,
            message: message.into(),
        }
    }
}

impl Mailer {
    /// SMTP when `settings.smtp_url` is set, else the dev mailbox under `settings.data_dir/mailbox`.
    pub fn from_settings(settings: &Settings) -> Result<Mailer, String> {
        let from = message::parse_from(&settings.smtp_from)?;
        let Some(url) = &settings.smtp_url else {
            return Ok(Mailer::DevMailbox(DevMailbox::new(
                dev_mailbox::dir_for(settings),
                from,
            )));
        };
        let url = url.expose();
        // The parser's errors name the part that is wrong, never the URL itself.
        let config = SmtpConfig::parse(url, SMTP_TIMEOUT).map_err(|e| {
            format!(
                "SHOAL_SMTP_URL is not a usable SMTP URL ({e}); use smtp://host:25, \
                 smtp://user:password@host:587?tls=required or smtps://user:password@host:465"
            )
        })?;
        Ok(Mailer::Smtp {
            pool: SmtpPool::new(config, SMTP_POOL_IDLE),
            from,
            server: server_label(url),
        })
    }

    pub fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } => from,
            Mailer::DevMailbox(dev) => dev.from(),
        }
    }

    /// One line for the start-up log: where mail goes.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { server, .. } => format!("SMTP server {server}"),
            Mailer::DevMailbox(dev) => format!("dev mailbox at {}", dev.dir().display()),
        }
    }

    /// The RFC 5322 message for `email`, from `SHOAL_SMTP_FROM`.
    pub fn build_message(&self, email: &OutgoingEmail) -> Result<Message, String> {
        message::build_message(self.from(), email)
    }

    /// Sends one message (SMTP) or writes it to the dev mailbox.
    pub async fn send(&self, email: &OutgoingEmail) -> Result<(), SendFailure> {
        let message = self
            .build_message(email)
            .map_err(|e| SendFailure::permanent(format!("The message cannot be sent: {e}")))?;
        match self {
            Mailer::Smtp { pool, server, .. } => pool
                .send(message.envelope(), &message.formatted())
                .await
                .map_err(|e| match e {
                    SmtpFailure::Smtp(e) => smtp_failure(server, &e),
                    SmtpFailure::Io(io) => io_failure(server, &io),
                    SmtpFailure::Timeout => timeout_failure(server),
                }),
            Mailer::DevMailbox(dev) => dev
                .deliver(email, &message)
                .await
                .map(|_| ())
                .map_err(SendFailure::transient),
        }
    }
}

/// `host:port` from an `smtp://` / `smtps://` URL, without user or password. The authority ends at the first
/// `/`, `?` or `#` and the credentials at its last `@` — the same split the URL parser lettre uses makes.
pub fn server_label(url: &str) -> String {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("smtps://") {
        (rest, 465)
    } else {
        let rest = url.strip_prefix("smtp://").unwrap_or(url);
        let tls = rest.contains("tls=required") || rest.contains("tls=opportunistic");
        (rest, if tls { 587 } else { 25 })
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let has_port = match host_port.rfind(']') {
        Some(end) => host_port[end..].contains(':'),
        None => host_port.contains(':'),
    };
    if has_port {
        host_port.to_string()
    } else {
        format!("{host_port}:{default_port}")
    }
}

/// The first `std::io::Error` in the chain of causes.
fn io_cause<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = err.source();
    }
    None
}

/// A server's reply text, on one line and short.
fn reply_text(e: &SmtpError) -> String {
    let text = std::error::Error::source(e)
        .map(|s| message::header_safe(&s.to_string()))
        .unwrap_or_default();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

fn timeout_failure(server: &str) -> SendFailure {
    SendFailure::transient(format!(
        "SMTP server {server} did not answer within {} seconds",
        SMTP_TIMEOUT.as_secs()
    ))
}

fn io_failure(server: &str, io: &std::io::Error) -> SendFailure {
    use std::io::ErrorKind as K;
    match io.kind() {
        K::ConnectionRefused => {
            SendFailure::transient(format!("SMTP server {server} refused the connection"))
        }
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            SendFailure::transient(format!("SMTP server {server} closed the connection"))
        }
        K::TimedOut => timeout_failure(server),
        _ => SendFailure::transient(format!("SMTP server {server} could not be reached: {io}")),
    }
}

fn smtp_failure(server: &str, e: &SmtpError) -> SendFailure {
    if let Some(code) = e.status() {
        let text = reply_text(e);
        let line = if text.is_empty() {
            format!("SMTP server {server} answered {code}")
        } else {
            format!("SMTP server {server} answered {code}: {text}")
        };
        return if e.is_permanent() {
            SendFailure::permanent(line)
        } else {
            SendFailure::transient(line)
        };
    }
    if e.is_timeout() {
        return timeout_failure(server);
    }
    if let Some(io) = io_cause(e) {
        return io_failure(server, io);
    }
    if e.is_tls() {
        return SendFailure::transient(format!(
            "TLS with SMTP server {server} failed: {}",
            reply_text(e)
        ));
    }
    // Client-side refusals (no common AUTH mechanism, server lacks 8BITMIME, …) and unreadable replies.
    SendFailure::transient(format!(
        "Sending through SMTP server {server} failed: {}",
        message::header_safe(&e.to_string())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_label_never_contains_the_credentials() {
        assert_eq!(server_label("smtp://127.0.0.1:2525"), "127.0.0.1:2525");
        assert_eq!(
            server_label("smtps://user:s3cr%40t@mail.example.com"),
            "mail.example.com:465"
        );
        assert_eq!(
            server_label("smtp://me:pw@mail.example.com?tls=required"),
            "mail.example.com:587"
        );
        assert_eq!(
            server_label("smtp://a@b:c@mail.example.com:2525/ehlo.name"),
            "mail.example.com:2525"
        );
        assert_eq!(server_label("smtp://[::1]"), "[::1]:25");
        assert_eq!(server_label("smtp://[::1]:26"), "[::1]:26");
    }
}
