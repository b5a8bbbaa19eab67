//! Test harness: the real Shoal (same router as production) on port 0 with a fresh database —
//! a temp SQLite file, or a new PostgreSQL database when `SHOAL_TEST_PG_URL` is set.

#![allow(dead_code)]

pub mod binary;
pub mod smtp_sink;

use app::domain::{AcademyId, TeamId, UserId};
use std::{net::SocketAddr, path::PathBuf};

use app::server::{
    password::HashCost,
    settings::{Mode, Secret, Settings},
    state::{AppState, Shared},
};
use reqwest::{Client, Response, redirect::Policy};

pub struct TestApp {
    /// `http://127.0.0.1:PORT`, also the configured base URL.
    pub base: String,
    pub state: AppState,
    dir: PathBuf,
}

pub const OWNER_EMAIL: &str = "owner@example.com";
pub const OWNER_PASSWORD: &str = "lighthouse keeper 42";

fn unique() -> String {
    let bytes: [u8; 6] = rand::random();
    hex::encode(bytes)
}

/// A fresh database URL for one test.
async fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("SHOAL_TEST_PG_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let name = format!("shoal_test_{}", unique());
            let mut conn = sqlx::AnyConnection::connect(&admin_url)
                .await
                .expect("connect to SHOAL_TEST_PG_URL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (prefix, _) = admin_url
                .rsplit_once('/')
                .expect("URL with a database name");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}/shoal.db", dir.display()),
    }
}

pub fn backend_name() -> &'static str {
    match std::env::var("SHOAL_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => "postgres",
        _ => "sqlite",
    }
}

/// The settings every test server starts from: dev mode, the dev mailbox, and the harness's cheap
/// password hashes (sign-ins and sign-ups by the hundred; the real cost is tested where it is the
/// subject).
pub fn test_settings(
    database_url: String,
    base: &str,
    listen: SocketAddr,
    dir: &std::path::Path,
) -> Settings {
    Settings {
        database_url: Secret::new(database_url),
        base_url: base.to_string(),
        listen,
        smtp_url: None,
        smtp_from: "Shoal <no-reply@localhost>".into(),
        secret: Secret::new("t".repeat(48)),
        data_dir: dir.to_path_buf(),
        mode: Mode::Dev,
        site_root: dir.join("site").display().to_string(),
        import_caps: Default::default(),
        webhooks_allow_private: false,
        api_limit: Default::default(),
        sign_in_per_ip: app::server::settings::DEFAULT_SIGN_IN_PER_IP,
        shutdown_grace: std::time::Duration::from_secs(1),
        trusted_proxies: Default::default(),
        hash_cost: HashCost::InsecureForTests,
    }
}

/// Production mode, as `shoal serve` runs by default (with the real password-hash cost, which
/// production insists on, and an SMTP URL, without which it refuses to start: a closed port
/// unless the test set one).
pub fn production(s: &mut Settings) {
    s.mode = Mode::Production;
    s.hash_cost = HashCost::Standard;
    s.smtp_url
        .get_or_insert_with(|| Secret::new("smtp://127.0.0.1:9"));
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The SQLite database file (when the tests run on SQLite).
    pub fn sqlite_file(&self) -> PathBuf {
        self.dir.join("shoal.db")
    }

    /// Spawns with settings adjusted by `tweak` (e.g. an https base URL).
    pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_full(tweak, server::outbox_worker::WorkerConfig::default()).await
    }

    /// Sends mail through `smtp_url` with a worker tuned for tests: quick retries, short leases.
    pub async fn spawn_mailing(smtp_url: String) -> TestApp {
        Self::spawn_full(
            move |s| s.smtp_url = Some(Secret::new(smtp_url)),
            fast_worker(),
        )
        .await
    }

    pub async fn spawn_full(
        tweak: impl FnOnce(&mut Settings),
        worker: server::outbox_worker::WorkerConfig,
    ) -> TestApp {
        init_test_log();
        let dir = std::env::temp_dir().join(format!("shoal-test-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let mut settings = test_settings(fresh_database(&dir).await, &base, addr, &dir);
        tweak(&mut settings);
        let app = server::App::build_with(settings, worker)
            .await
            .expect("app builds");
        let state = app.state.clone();
        tokio::spawn(async move {
            let _ = app.serve(listener).await;
        });
        TestApp { base, state, dir }
    }

    /// A browser: its own cookie jar, no automatic redirects (tests look at them). A request that
    /// gets no answer within 60 s fails its test instead of hanging the whole run (a page render
    /// once stalled forever in a test; CI then only stops at its 90-minute limit). 30 s was too
    /// short for this harness: on 2 cores busy with builds, 3 of about 9 full runs had one page
    /// answer later than that, while 6 runs in a row passed with the longer limit.
    pub fn browser(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            // The server closes a kept-alive connection after 10 s of quiet (its header timeout);
            // a client must not pick one that old, or its request may race the close.
            .pool_idle_timeout(std::time::Duration::from_secs(5))
            .build()
            .unwrap()
    }

    /// Calls a server function the way the browser does (form-encoded, with our Origin).
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Origin", &self.base)
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Calls a JSON-input server function.
    pub async fn call_json(
        &self,
        client: &Client,
        endpoint: &str,
        body: serde_json::Value,
    ) -> Response {
        client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Origin", &self.base)
            .header("Accept", "application/json")
            .json(&body)
            .send()
            .await
            .expect("request sent")
    }

    /// The academy link's sign-up form, as `client` submits it.
    pub async fn sign_up(
        &self,
        client: &Client,
        slug: &str,
        email: &str,
        first: &str,
        last: &str,
        password: &str,
    ) -> Response {
        self.call(
            client,
            "sign_up",
            &[
                ("slug", slug),
                ("email", email),
                ("first_name", first),
                ("last_name", last),
                ("password", password),
            ],
        )
        .await
    }

    /// Settings → Admins → "Invite an administrator" for `email` (last name Hopper).
    pub async fn invite_admin(&self, client: &Client, email: &str, first: &str) -> Response {
        self.call(
            client,
            "invite_admin",
            &[
                ("email", email),
                ("first_name", first),
                ("last_name", "Hopper"),
            ],
        )
        .await
    }

    /// A page load as a browser makes it (`Accept: text/html`, so redirects are real 302s).
    /// A team named `name` (colour Blue) made by `admin` through the server function: its id.
    pub async fn team(&self, admin: &Client, name: &str) -> TeamId {
        let res = self
            .call(admin, "create_team", &[("name", name), ("color", "Blue")])
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        res.json::<app::model::TeamView>().await.unwrap().id
    }

    /// The one number `sql` answers (a `SELECT COUNT(*) …`), read from the database directly.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client
            .get(format!("{}{path}", self.base))
            .header("Accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("request sent")
    }

    /// This app (its database and settings) served by a second server that has a release build's
    /// site, as the hash file `hashes` names its files (a test's own server has none); returns
    /// its base URL. It differs only by port, so a browser signed in here is signed in there
    /// (cookies are per host).
    pub async fn base_serving_site(&self, hashes: &str) -> String {
        let s = &self.state;
        let state = AppState::new(Shared {
            db: s.db.clone(),
            settings: s.settings.clone(),
            hasher: s.hasher.clone(),
            leptos_options: s.leptos_options.clone(),
            outbox_wakeup: s.outbox_wakeup.clone(),
            bulk_progress: s.bulk_progress.clone(),
            assets: server::assets::from_hashes("shoal", Some(hashes)),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = server::router(state.clone());
        tokio::spawn(async move {
            let _ = server::App { state, router }.serve(listener).await;
        });
        base
    }

    /// First-run setup through the public server function; returns the signed-in owner's browser.
    pub async fn create_first_academy(&self, slug: &str) -> Client {
        let browser = self.browser();
        let res = self
            .call(
                &browser,
                "create_first_academy",
                &[
                    ("academy_name", "Acme Onboarding"),
                    ("slug", slug),
                    ("owner_name", "Ada Lovelace"),
                    ("email", OWNER_EMAIL),
                    ("password", OWNER_PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "setup failed: {}",
            res.text().await.unwrap()
        );
        browser
    }

    /// Another academy, made the way the CLI makes it.
    pub async fn create_academy(&self, slug: &str, owner_email: &str, password: &str) {
        let input =
            app::validate::new_academy("Other Academy", slug, "Olga Other", owner_email, password)
                .unwrap();
        app::server::services::academies::create(&self.state, &input, false)
            .await
            .unwrap();
    }

    /// Another academy (`olga@example.com` its owner, made with the CLI's code), its owner signed in.
    pub async fn other_academy(&self, slug: &str) -> Client {
        self.create_academy(slug, "olga@example.com", OWNER_PASSWORD)
            .await;
        let olga = self.browser();
        let res = self
            .sign_in(&olga, slug, "olga@example.com", OWNER_PASSWORD)
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        olga
    }

    pub async fn sign_in(
        &self,
        client: &Client,
        slug: &str,
        email: &str,
        password: &str,
    ) -> Response {
        self.call(
            client,
            "sign_in",
            &[("slug", slug), ("email", email), ("password", password)],
        )
        .await
    }
}

/// The password test learners sign up with.
pub const LEARNER_PASSWORD: &str = "any password 123";

impl TestApp {
    /// Revokes the access of the learners `ids` of academy `academy_id` through the bulk engine
    /// itself, as an API application would, counting on `progress` when given.
    pub async fn bulk_deactivate(
        &self,
        academy_id: AcademyId,
        ids: &[UserId],
        progress: Option<&app::server::bulk_progress::Ticket>,
    ) -> Vec<app::server::services::bulk::Outcome> {
        let actor = app::server::services::bulk::Actor {
            academy_id,
            user_id: None,
            api: Some("HR system"),
            progress,
        };
        app::server::services::bulk::learners(
            &self.state,
            &actor,
            ids,
            app::server::services::bulk::LearnerChange::Deactivate,
        )
        .await
        .unwrap()
    }

    pub async fn academy_id(&self, slug: &str) -> AcademyId {
        sqlx::query_scalar("SELECT id FROM academies WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
    }

    pub async fn user_id(&self, slug: &str, email: &str) -> Option<UserId> {
        sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN academies a ON a.id = u.academy_id \
             WHERE a.slug = $1 AND u.email = $2",
        )
        .bind(slug)
        .bind(email)
        .fetch_optional(&self.state.db.pool)
        .await
        .unwrap()
    }

    /// Learners put straight into academy `slug`'s database, one per `(email, first name, last
    /// name, registered at)`, for tests about reading many of them (signing thousands up through
    /// HTTP would test nothing more). Returns their ids in the given order.
    pub async fn insert_learners(
        &self,
        slug: &str,
        people: &[(String, String, String, i64)],
    ) -> Vec<UserId> {
        let academy = self.academy_id(slug).await;
        let mut tx = self.state.db.pool.begin().await.unwrap();
        let mut ids = Vec::with_capacity(people.len());
        for (email, first, last, at) in people {
            let id: UserId = sqlx::query_scalar(
                "INSERT INTO users (academy_id, email, first_name, last_name, role, password_hash, status, created_at) \
                 VALUES ($1, $2, $3, $4, 'learner', 'x', 'active', $5) RETURNING id",
            )
            .bind(academy)
            .bind(email)
            .bind(first)
            .bind(last)
            .bind(*at)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            ids.push(id);
        }
        tx.commit().await.unwrap();
        ids
    }

    /// Invites `email` as `role` into `team_ids` without an email and signs them up at the academy
    /// link, as a learner does who was told the link. Returns their signed-in browser and user id.
    pub async fn registered_learner(
        &self,
        admin: &Client,
        slug: &str,
        email: &str,
        role: app::domain::role::Role,
        team_ids: &[TeamId],
    ) -> (Client, UserId) {
        let res = self
            .call_json(
                admin,
                "invite_learners",
                serde_json::json!({
                    "people": [{"email": email, "first_name": "Lea", "last_name": "Learner"}],
                    "role": role,
                    "team_ids": team_ids,
                    "send_email": false,
                }),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let results: Vec<app::model::InviteResult> = res.json().await.unwrap();
        assert!(
            matches!(
                results[0].outcome,
                app::model::InviteOutcome::Invited { .. }
            ),
            "{results:?}"
        );
        let browser = self.browser();
        let res = self
            .call(
                &browser,
                "sign_up",
                &[
                    ("slug", slug),
                    ("email", email),
                    ("first_name", "Lea"),
                    ("last_name", "Learner"),
                    ("password", LEARNER_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        // A Learner-Admin proves the address with the emailed code first.
        if let app::model::SignUpOutcome::ConfirmCode { .. } = res.json().await.unwrap() {
            let res = self.confirm_code(&browser, slug, email).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        }
        let id = self.user_id(slug, email).await.expect("the learner exists");
        (browser, id)
    }

    /// Finishes a sign-up that waits for its emailed code, with the code the email carries
    /// (derived from the server secret and the stored salt, as the email does).
    pub async fn confirm_code(&self, client: &Client, slug: &str, email: &str) -> Response {
        let salt: String = sqlx::query_scalar(
            "SELECT c.salt FROM signup_codes c JOIN academies a ON a.id = c.academy_id \
             WHERE a.slug = $1 AND c.email = $2 ORDER BY c.id DESC LIMIT 1",
        )
        .bind(slug)
        .bind(email)
        .fetch_one(&self.state.db.pool)
        .await
        .expect("a sign-up waits for its code");
        let code = app::server::tokens::derive_code(&self.state.settings.secret, &salt);
        self.call(
            client,
            "confirm_sign_up",
            &[("slug", slug), ("email", email), ("code", &code)],
        )
        .await
    }
}

/// With `SHOAL_TEST_LOG=<file>`, the servers of the run log there (`RUST_LOG` filters; `info` by
/// default): what the server of a failing test did, request by request, and sqlx's warnings about
/// slow pool acquires.
fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Some(path) = std::env::var_os("SHOAL_TEST_LOG") {
            let file = std::fs::File::create(path).expect("the test log file can be created");
            let _ = tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .with_thread_names(true)
                .try_init();
        }
    });
}

/// Retries in a fraction of a second, so tests can watch an email go from retrying to sent.
pub fn fast_worker() -> server::outbox_worker::WorkerConfig {
    server::outbox_worker::WorkerConfig {
        lease_ms: 1500,
        max_attempts: 5,
        base_backoff_ms: 150,
        max_backoff_ms: 600,
        idle_poll_ms: 50,
        ..Default::default()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where a redirect goes, without its query: a page a role may not open sends it to its landing
/// page with `?denied=…` (checked in `permissions`), and most tests only ask where it lands.
pub fn location_path(res: &Response) -> String {
    let to = res.headers()["location"].to_str().unwrap_or_default();
    to.split('?').next().unwrap_or_default().to_owned()
}

/// The JSON error body of a failed server function.
pub async fn error_of(res: Response) -> app::error::AppError {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an AppError ({e}): {text}"))
}

/// The `Set-Cookie` header for the session cookie (`__Host-shoal_session` over https), if any.
pub fn session_set_cookie(res: &Response) -> Option<String> {
    set_cookie_named(res, "shoal_session").or_else(|| set_cookie_named(res, "__Host-shoal_session"))
}

/// The `Set-Cookie` header for the cookie `name`, if any.
pub fn set_cookie_named(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.split_once('=').is_some_and(|(n, _)| n == name))
        .map(str::to_string)
}
