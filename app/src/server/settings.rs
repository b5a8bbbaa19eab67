//! Typed configuration from environment variables (and an optional `.env`, loaded by the binary).
//! Secrets are wrapped so that they never reach a log line.

use std::{fmt, net::SocketAddr, path::PathBuf};

/// A value that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Opt-in (`SHOAL_MODE=dev`): the dev mailbox at `/dev/mailbox` (loopback only), mail kept in
    /// files when no SMTP server is set.
    Dev,
    /// The default: no dev conveniences, and no start without a way to send mail.
    Production,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: Secret,
    /// Scheme, host and port, without a trailing slash: every link Shoal builds starts with it.
    pub base_url: String,
    pub listen: SocketAddr,
    pub smtp_url: Option<Secret>,
    pub smtp_from: String,
    pub secret: Secret,
    pub data_dir: PathBuf,
    pub mode: Mode,
    pub site_root: String,
    /// What one CSV upload may hold (`SHOAL_IMPORT_MAX_ROWS`, `SHOAL_IMPORT_MAX_MB`); the browser
    /// learns them from the server.
    pub import_caps: crate::domain::csv_import::Caps,
    /// Each API client's token bucket (`SHOAL_API_RATE`, `SHOAL_API_BURST`).
    pub api_limit: ApiLimit,
    /// `SHOAL_SIGN_IN_PER_IP`: sign-in attempts one address may make in 10 minutes (30). A test
    /// run that signs in from one address many times raises it; production keeps the default.
    pub sign_in_per_ip: i64,
    /// `SHOAL_WEBHOOKS_ALLOW_PRIVATE`: webhooks may call loopback and private addresses in
    /// production too (dev mode always may).
    pub webhooks_allow_private: bool,
    /// `SHOAL_SHUTDOWN_SECONDS`: how long requests in flight may take to finish once the server
    /// was told to stop (SIGTERM, Ctrl-C); then it exits regardless.
    pub shutdown_grace: std::time::Duration,
    /// `SHOAL_TRUSTED_PROXIES`: whose `X-Forwarded-For` / `Forwarded` says who the client is.
    pub trusted_proxies: crate::server::client_ip::TrustedProxies,
    /// What a new password hash costs: always `Standard` from the environment (the test harness
    /// alone sets another, and production mode refuses it).
    pub hash_cost: crate::server::password::HashCost,
}

/// Sign-in attempts one address may make in 10 minutes, unless `SHOAL_SIGN_IN_PER_IP` says.
pub const DEFAULT_SIGN_IN_PER_IP: i64 = 30;

/// A token bucket: `burst` calls at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiLimit {
    pub per_second: i64,
    pub burst: i64,
}

impl Default for ApiLimit {
    fn default() -> Self {
        ApiLimit {
            per_second: 20,
            burst: 100,
        }
    }
}

/// A whole number from `range`, or an error naming the variable.
fn number_var(name: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, String> {
    let Some(text) = var(name) else {
        return Ok(None);
    };
    text.parse()
        .ok()
        .filter(|n| range.contains(n))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{name} must be a number from {} to {}, not {text:?}",
                range.start(),
                range.end()
            )
        })
}

/// Reads a variable; empty counts as unset.
fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Settings {
    /// Reads every `SHOAL_*` variable. Errors name the variable and what is wrong with it.
    pub fn from_env() -> Result<Settings, String> {
        let data_dir = PathBuf::from(var("SHOAL_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = var("SHOAL_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/shoal.db", data_dir.display()));
        let base_url = parse_base_url(
            &var("SHOAL_BASE_URL").unwrap_or_else(|| "http://127.0.0.1:3000".into()),
        )?;
        let listen_text = var("SHOAL_LISTEN").unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            format!(
                "SHOAL_LISTEN must be an address and port like 127.0.0.1:3000, not {listen_text:?}"
            )
        })?;
        let mode = parse_mode(var("SHOAL_MODE").as_deref())?;
        let smtp_url = var("SHOAL_SMTP_URL").map(Secret::new);
        if let Some(url) = &smtp_url
            && !(url.expose().starts_with("smtp://") || url.expose().starts_with("smtps://"))
        {
            return Err("SHOAL_SMTP_URL must start with smtp:// or smtps://".into());
        }
        let smtp_from =
            var("SHOAL_SMTP_FROM").unwrap_or_else(|| "Shoal <no-reply@localhost>".into());
        if smtp_from.contains(['\r', '\n']) {
            return Err("SHOAL_SMTP_FROM must be one line".into());
        }
        let secret = match var("SHOAL_SECRET") {
            Some(s) if s.len() >= 32 => Secret::new(s),
            Some(_) => return Err("SHOAL_SECRET must be at least 32 characters long".into()),
            None => load_or_create_secret(&data_dir)?,
        };
        let site_root = var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let mut import_caps = crate::domain::csv_import::Caps::default();
        if let Some(rows) = number_var("SHOAL_IMPORT_MAX_ROWS", 1..=1_000_000)? {
            import_caps.max_rows = rows as usize;
        }
        if let Some(mb) = number_var("SHOAL_IMPORT_MAX_MB", 1..=100)? {
            import_caps.max_bytes = mb as usize * 1_048_576;
        }
        let mut api_limit = ApiLimit::default();
        if let Some(n) = number_var("SHOAL_API_RATE", 1..=1_000_000)? {
            api_limit.per_second = n;
        }
        if let Some(n) = number_var("SHOAL_API_BURST", 1..=1_000_000)? {
            api_limit.burst = n;
        }
        let sign_in_per_ip =
            number_var("SHOAL_SIGN_IN_PER_IP", 1..=1_000_000)?.unwrap_or(DEFAULT_SIGN_IN_PER_IP);
        let webhooks_allow_private = match var("SHOAL_WEBHOOKS_ALLOW_PRIVATE").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => {
                return Err(format!(
                    "SHOAL_WEBHOOKS_ALLOW_PRIVATE must be 1 or 0 (true or false), not {other:?}"
                ));
            }
        };
        let shutdown_grace = std::time::Duration::from_secs(
            number_var("SHOAL_SHUTDOWN_SECONDS", 0..=3600)?.unwrap_or(10) as u64,
        );
        let trusted_proxies = crate::server::client_ip::TrustedProxies::parse(
            &var("SHOAL_TRUSTED_PROXIES").unwrap_or_default(),
        )?;
        Ok(Settings {
            database_url: Secret::new(database_url),
            base_url,
            listen,
            smtp_url,
            smtp_from,
            secret,
            data_dir,
            mode,
            site_root,
            import_caps,
            api_limit,
            sign_in_per_ip,
            webhooks_allow_private,
            shutdown_grace,
            trusted_proxies,
            hash_cost: Default::default(),
        })
    }

    /// The origin browsers send in the `Origin` header for pages served from the base URL.
    pub fn origin(&self) -> &str {
        &self.base_url
    }

    /// Whether the public address is https: then cookies get `Secure` and the `__Host-` prefix, and
    /// answers carry `Strict-Transport-Security`.
    pub fn https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Cookies get `Secure` whenever the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.https()
    }

    /// What `shoal serve` refuses to start with: production mode without a way to send mail (the
    /// Invites tab would say "Email Sent" for mail kept in a folder nobody reads).
    pub fn serve_problem(&self) -> Option<String> {
        (self.mode == Mode::Production && self.smtp_url.is_none()).then(|| {
            "SHOAL_SMTP_URL is not set: production mode needs an SMTP server to send invitations \
             (e.g. SHOAL_SMTP_URL=smtps://user:password@mail.example.com:465). For a local trial, \
             set SHOAL_MODE=dev instead: mail then goes to the dev mailbox at /dev/mailbox."
                .to_string()
        })
    }

    /// Worth a warning at start-up, not worth refusing to start.
    pub fn start_up_warnings(&self) -> Vec<String> {
        let mut warnings = vec![];
        if self.mode == Mode::Dev && !self.listen.ip().is_loopback() {
            warnings.push(format!(
                "SHOAL_MODE=dev on {}, an address other machines can reach: dev mode is for one \
                 machine (its mailbox answers loopback only). Use SHOAL_MODE=production for a server.",
                self.listen
            ));
        }
        warnings
    }

    /// The host of the base URL (no scheme, no port): the right-hand side of Message-IDs.
    pub fn host(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        match rest.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => rest,
        }
    }

    /// An absolute link to a path of this Shoal (the path starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// `SHOAL_MODE`. Unset means production: a server someone forgot to configure must not publish
/// the dev mailbox (every invitation link and code) to whoever reaches its port.
pub fn parse_mode(value: Option<&str>) -> Result<Mode, String> {
    match value {
        Some("dev") => Ok(Mode::Dev),
        None | Some("production") => Ok(Mode::Production),
        Some(other) => Err(format!(
            "SHOAL_MODE must be \"dev\" or \"production\", not {other:?}"
        )),
    }
}

/// Accepts `http(s)://host[:port]` with an optional trailing slash; no path, query or credentials.
pub fn parse_base_url(raw: &str) -> Result<String, String> {
    let err = || {
        format!(
            "SHOAL_BASE_URL must look like https://academy.example.com or http://127.0.0.1:3000 (no path), not {raw:?}"
        )
    };
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(err)?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(err());
    }
    Ok(raw.strip_suffix('/').unwrap_or(raw).to_ascii_lowercase())
}

fn load_or_create_secret(data_dir: &std::path::Path) -> Result<Secret, String> {
    let path = data_dir.join("secret");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let text = text.trim().to_string();
        if text.len() >= 32 {
            return Ok(Secret::new(text));
        }
        return Err(format!(
            "{} is shorter than 32 characters; delete it to have a new one made",
            path.display()
        ));
    }
    std::fs::create_dir_all(data_dir).map_err(|e| {
        format!(
            "cannot create the data directory {}: {e}",
            data_dir.display()
        )
    })?;
    let bytes: [u8; 32] = rand::random();
    let secret = hex::encode(bytes);
    write_private(&path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Secret::new(secret))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_scheme_host_and_port_without_trailing_slash() {
        assert_eq!(
            parse_base_url("http://127.0.0.1:3000/").unwrap(),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            parse_base_url("https://Academy.Example.com").unwrap(),
            "https://academy.example.com"
        );
    }

    #[test]
    fn base_url_with_a_path_or_another_scheme_is_refused_with_the_variable_name() {
        for bad in [
            "ftp://x",
            "academy.example.com",
            "https://x.com/shoal",
            "https://",
            "https://u@x.com",
        ] {
            let e = parse_base_url(bad).unwrap_err();
            assert!(e.contains("SHOAL_BASE_URL"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_unset_mode_is_production_and_dev_must_be_asked_for() {
        assert_eq!(parse_mode(None), Ok(Mode::Production));
        assert_eq!(parse_mode(Some("production")), Ok(Mode::Production));
        assert_eq!(parse_mode(Some("dev")), Ok(Mode::Dev));
        assert!(parse_mode(Some("Dev")).unwrap_err().contains("SHOAL_MODE"));
    }

    fn settings(mode: Mode, listen: &str, smtp: Option<&str>) -> Settings {
        Settings {
            database_url: Secret::new("sqlite://x.db"),
            base_url: "http://127.0.0.1:3000".into(),
            listen: listen.parse().unwrap(),
            smtp_url: smtp.map(Secret::new),
            smtp_from: "Shoal <no-reply@localhost>".into(),
            secret: Secret::new("s".repeat(32)),
            data_dir: "./data".into(),
            mode,
            site_root: "target/site".into(),
            import_caps: Default::default(),
            api_limit: Default::default(),
            sign_in_per_ip: DEFAULT_SIGN_IN_PER_IP,
            webhooks_allow_private: false,
            shutdown_grace: std::time::Duration::from_secs(10),
            trusted_proxies: Default::default(),
            hash_cost: Default::default(),
        }
    }

    #[test]
    fn production_without_an_smtp_url_is_refused_naming_the_variable_and_dev_is_not() {
        let refused = settings(Mode::Production, "127.0.0.1:3000", None)
            .serve_problem()
            .expect("refused");
        assert!(refused.contains("SHOAL_SMTP_URL"), "{refused}");
        assert!(refused.contains("SHOAL_MODE=dev"), "{refused}");
        let with_smtp = settings(Mode::Production, "0.0.0.0:3000", Some("smtps://m.test"));
        assert_eq!(with_smtp.serve_problem(), None);
        assert_eq!(
            settings(Mode::Dev, "127.0.0.1:3000", None).serve_problem(),
            None
        );
    }

    #[test]
    fn dev_mode_on_an_address_other_machines_reach_is_warned_about() {
        assert!(
            settings(Mode::Dev, "127.0.0.1:3000", None)
                .start_up_warnings()
                .is_empty()
        );
        assert!(
            settings(Mode::Dev, "[::1]:3000", None)
                .start_up_warnings()
                .is_empty()
        );
        let warned = settings(Mode::Dev, "0.0.0.0:3000", None).start_up_warnings();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].contains("0.0.0.0:3000"), "{warned:?}");
        assert!(
            settings(Mode::Production, "0.0.0.0:3000", Some("smtps://m.test"))
                .start_up_warnings()
                .is_empty()
        );
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(***)");
    }
}
