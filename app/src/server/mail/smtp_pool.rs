//! SMTP connections, kept open and reused between messages.
//!
//! The protocol is lettre's (`AsyncSmtpConnection`: EHLO, STARTTLS, AUTH, dot-stuffing, replies);
//! opening and pooling the connections is ours, for one reason: lettre's own pool opens its sockets
//! without `TCP_NODELAY`, and lettre writes the final `.` of every message as a separate small packet.
//! Nagle's algorithm then holds that packet until the server acknowledges the body, which a server
//! waiting for the `.` delays by up to 40 ms: each message cost ~48 ms on loopback, capping a
//! 16-connection outbox at ~240 messages per second. With `TCP_NODELAY` the same message takes well
//! under a millisecond.
//!
//! Implicit TLS (`smtps://`) uses lettre's own connect (TLS first, then SMTP), without `TCP_NODELAY`.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use lettre::{
    address::Envelope,
    transport::smtp::{
        Error as SmtpError,
        authentication::{Credentials, Mechanism},
        client::{AsyncSmtpConnection, TlsParameters},
        extension::ClientId,
    },
};

/// How the connection is secured, as `SHOAL_SMTP_URL` says.
#[derive(Clone)]
enum Security {
    /// `smtp://host` — plain text (loopback relays, test sinks).
    None,
    /// `smtp://host?tls=opportunistic` — STARTTLS when the server offers it.
    Opportunistic(TlsParameters),
    /// `smtp://host?tls=required` — STARTTLS or fail.
    Required(TlsParameters),
    /// `smtps://host` — TLS from the first byte.
    Implicit(TlsParameters),
}

impl Security {
    /// Whether credentials sent over the connection are encrypted whatever happens on the way.
    /// STARTTLS only "when offered" is not: whoever sits between can strip the offer.
    fn protects_credentials(&self) -> bool {
        matches!(self, Security::Required(_) | Security::Implicit(_))
    }
}

/// A relay on this machine (`localhost`, `127.0.0.1`, `::1`): nothing crosses a network.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where and how to connect; parsed once from `SHOAL_SMTP_URL`.
#[derive(Clone)]
pub struct SmtpConfig {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
}

impl SmtpConfig {
    /// `smtp://[user:password@]host[:port][/ehlo-name][?tls=required|opportunistic]` or
    /// `smtps://…`. The error names the wrong part, never the URL (it may hold a password).
    pub fn parse(url: &str, timeout: Duration) -> Result<SmtpConfig, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("it cannot be parsed: {e}"))?;
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("it has no host")?
            .trim_matches(['[', ']'])
            .to_string();
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let params =
            || TlsParameters::new(host.clone()).map_err(|e| format!("TLS cannot be set up: {e}"));
        let (security, default_port) = match (parsed.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::None, 25),
            ("smtp", Some("required")) => (Security::Required(params()?), 587),
            ("smtp", Some("opportunistic")) => (Security::Opportunistic(params()?), 587),
            ("smtps", None) => (Security::Implicit(params()?), 465),
            ("smtp" | "smtps", Some(other)) => {
                return Err(format!(
                    "tls={other} is not known (use tls=required or tls=opportunistic)"
                ));
            }
            (scheme, _) => {
                return Err(format!("the scheme {scheme}:// is not smtp:// or smtps://"));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| {
                    "its user name or password is not valid UTF-8 once decoded".to_string()
                })
        };
        let credentials = match parsed.password() {
            Some(password) => Some(Credentials::new(
                decode(parsed.username())?,
                decode(password)?,
            )),
            None if !parsed.username().is_empty() => {
                return Err("it has a user name but no password".into());
            }
            None => None,
        };
        if credentials.is_some() && !security.protects_credentials() && !is_loopback(&host) {
            return Err(
                "it carries a user name and password without TLS, so they would cross the network \
                 in clear text: use smtps:// (TLS from the start, port 465) or add ?tls=required \
                 (STARTTLS, port 587)"
                    .into(),
            );
        }
        let path = parsed.path().trim_matches('/');
        let hello = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_string())
        };
        Ok(SmtpConfig {
            host,
            port: parsed.port().unwrap_or(default_port),
            security,
            credentials,
            hello,
            timeout,
        })
    }
}

/// Why a send failed: the connection could not be made (I/O), the server did not answer in time, or
/// lettre reports an SMTP-level error (a reply code, TLS, a client-side refusal).
#[derive(Debug)]
pub enum SmtpFailure {
    Io(std::io::Error),
    Timeout,
    Smtp(SmtpError),
}

impl From<SmtpError> for SmtpFailure {
    fn from(e: SmtpError) -> Self {
        SmtpFailure::Smtp(e)
    }
}

/// Open connections to one SMTP server, shared by every sender.
pub struct SmtpPool {
    config: SmtpConfig,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    max_idle: usize,
    /// An idle connection older than this is closed rather than reused (servers drop idle clients).
    max_idle_time: Duration,
}

impl SmtpPool {
    pub fn new(config: SmtpConfig, max_idle: usize) -> Arc<SmtpPool> {
        Arc::new(SmtpPool {
            config,
            idle: Mutex::new(Vec::new()),
            max_idle,
            max_idle_time: Duration::from_secs(50),
        })
    }

    /// Sends one message. A reused connection the server has meanwhile closed is replaced by a fresh
    /// one once, so a quiet period never shows up as a failed attempt.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SmtpFailure> {
        if let Some(mut conn) = self.take_idle() {
            match self.with_timeout(conn.send(envelope, message)).await {
                Ok(_) => {
                    self.put_back(conn);
                    return Ok(());
                }
                // The server answered: that answer is the result.
                Err(SmtpFailure::Smtp(e)) if e.status().is_some() => {
                    return Err(SmtpFailure::Smtp(e));
                }
                // A dead pooled connection: try once more on a new one.
                Err(_) => conn.abort().await,
            }
        }
        let mut conn = self.connect().await?;
        self.with_timeout(conn.send(envelope, message)).await?;
        self.put_back(conn);
        Ok(())
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((conn, since)) = idle.pop() {
            if since.elapsed() < self.max_idle_time && !conn.has_broken() {
                return Some(conn);
            }
            // Too old: dropping it closes the socket.
        }
        None
    }

    fn put_back(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.max_idle {
            idle.push((conn, Instant::now()));
        }
    }

    async fn with_timeout<T>(
        &self,
        fut: impl Future<Output = Result<T, SmtpError>>,
    ) -> Result<T, SmtpFailure> {
        match tokio::time::timeout(self.config.timeout, fut).await {
            Ok(r) => r.map_err(SmtpFailure::Smtp),
            Err(_) => Err(SmtpFailure::Timeout),
        }
    }

    /// A new connection: TCP (with `TCP_NODELAY`), greeting and EHLO, STARTTLS as configured, AUTH.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpFailure> {
        let c = &self.config;
        let mut conn = match &c.security {
            Security::Implicit(params) => {
                self.with_timeout(AsyncSmtpConnection::connect_tokio1(
                    (c.host.as_str(), c.port),
                    Some(c.timeout),
                    &c.hello,
                    Some(params.clone()),
                    None,
                ))
                .await?
            }
            _ => {
                let tcp = tokio::time::timeout(
                    c.timeout,
                    tokio::net::TcpStream::connect((c.host.as_str(), c.port)),
                )
                .await
                .map_err(|_| SmtpFailure::Timeout)?
                .map_err(SmtpFailure::Io)?;
                tcp.set_nodelay(true).map_err(SmtpFailure::Io)?;
                self.with_timeout(AsyncSmtpConnection::connect_with_transport(
                    Box::new(tcp),
                    &c.hello,
                ))
                .await?
            }
        };
        match &c.security {
            Security::Required(params) => {
                self.with_timeout(conn.starttls(params.clone(), &c.hello))
                    .await?
            }
            Security::Opportunistic(params) if conn.can_starttls() => {
                self.with_timeout(conn.starttls(params.clone(), &c.hello))
                    .await?
            }
            _ => {}
        }
        if let Some(credentials) = &c.credentials {
            self.with_timeout(conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials))
                .await?;
        }
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(1);

    #[test]
    fn the_url_gives_host_port_security_and_credentials() {
        let c = SmtpConfig::parse("smtp://127.0.0.1:2525", T).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 2525));
        assert!(matches!(c.security, Security::None));
        assert!(c.credentials.is_none());

        let c = SmtpConfig::parse("smtp://me:s3cr%40t@mail.example.com?tls=required", T).unwrap();
        assert_eq!(c.port, 587);
        assert!(matches!(c.security, Security::Required(_)));
        assert!(c.credentials == Some(Credentials::new("me".into(), "s3cr@t".into())));

        let c = SmtpConfig::parse("smtps://mail.example.com", T).unwrap();
        assert_eq!(c.port, 465);
        assert!(matches!(c.security, Security::Implicit(_)));

        let c = SmtpConfig::parse("smtp://[::1]:26/relay.example", T).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("::1", 26));
        assert!(matches!(&c.hello, ClientId::Domain(d) if d == "relay.example"));
    }

    #[test]
    fn credentials_go_only_over_tls_or_to_a_relay_on_this_machine() {
        for url in [
            "smtps://u:pw@mail.example.com",
            "smtp://u:pw@mail.example.com?tls=required",
            "smtp://u:pw@127.0.0.1:2525",
            "smtp://u:pw@[::1]:2525",
            "smtp://u:pw@localhost:25",
            "smtp://mail.example.com",
        ] {
            assert!(SmtpConfig::parse(url, T).is_ok(), "{url}");
        }
        let e = SmtpConfig::parse("smtp://u:pw@mail.example.com", T)
            .err()
            .unwrap();
        assert!(e.contains("smtps://") && e.contains("tls=required"), "{e}");
    }

    #[test]
    fn a_bad_url_names_the_wrong_part_and_never_the_password() {
        for (url, part) in [
            (
                "smtp://u:hunter2@mail.example.com?tls=sometimes",
                "tls=sometimes",
            ),
            ("http://u:hunter2@mail.example.com", "http://"),
            ("smtp://hunter2@mail.example.com", "no password"),
            ("smtp://u:hunter2@mail.example.com", "clear text"),
            (
                "smtp://u:hunter2@mail.example.com:587?tls=opportunistic",
                "clear text",
            ),
            ("not a url hunter2", "cannot be parsed"),
        ] {
            let e = SmtpConfig::parse(url, T).err().unwrap();
            assert!(e.contains(part), "{url}: {e}");
            assert!(!e.contains("hunter2"), "{url}: {e}");
        }
    }
}
