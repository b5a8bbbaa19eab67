//! Builds the whole Shoal server — state, router, middleware, background jobs — so that `main` and the
//! integration tests run the very same wiring.

pub mod assets;
pub mod cli;
pub mod dev_mailbox;
pub mod exports;
pub mod json_api;
pub mod listener;
pub mod memory;
pub mod middleware;
pub mod outbox_worker;
pub mod redact;
pub mod render_pool;
pub mod telemetry;
pub mod webhook_client;

use std::{
    sync::{Arc, LazyLock},
    time::Duration,
};

use app::server::{
    db::Db,
    password::{HashCost, Hasher},
    repo,
    settings::{Mode, Settings},
    state::{AppState, Shared},
};
use axum::{Router, extract::State, http::StatusCode, routing::get};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use site::shell;

pub struct App {
    pub state: AppState,
    pub router: Router,
}

/// Largest request body accepted (forms and server functions), but for the look-up of a whole CSV
/// file's addresses, which may be as large as the file (`middleware::body_limit`).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

impl App {
    /// Connects the database (applying migrations) and prepares everything that lives for the process.
    pub async fn state(settings: Settings) -> Result<AppState, String> {
        if settings.mode == Mode::Production && settings.hash_cost != HashCost::Standard {
            return Err("production mode hashes passwords at the standard cost only".into());
        }
        let db = Db::connect(settings.database_url.expose()).await?;
        let assets = assets::read("shoal");
        assets::check(std::path::Path::new(&settings.site_root), "shoal", &assets)?;
        let leptos_options = LeptosOptions::builder()
            .output_name("shoal")
            .hash_files(assets.hashed)
            .site_root(settings.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(settings.listen)
            .env(match std::env::var("LEPTOS_ENV").as_deref() {
                Ok("DEV") | Ok("dev") => leptos::config::Env::DEV,
                _ => leptos::config::Env::PROD,
            })
            .build();
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let cost = settings.hash_cost;
        let hasher = tokio::task::spawn_blocking(move || Hasher::new(cores, cost))
            .await
            .map_err(|e| format!("cannot start the password hasher: {e}"))?;
        Ok(AppState::new(Shared {
            db,
            settings,
            hasher,
            leptos_options,
            outbox_wakeup: Arc::new(tokio::sync::Notify::new()),
            bulk_progress: Default::default(),
            assets,
        }))
    }

    pub async fn build(settings: Settings) -> Result<App, String> {
        Self::build_with(settings, outbox_worker::WorkerConfig::default()).await
    }

    /// Like `build`, with the outbox worker tuned (tests use short backoffs and leases).
    pub async fn build_with(
        settings: Settings,
        worker: outbox_worker::WorkerConfig,
    ) -> Result<App, String> {
        // Before the database: a refused start changes nothing. (`academy create` needs no mail and
        // builds only the state.)
        if let Some(problem) = settings.serve_problem() {
            return Err(problem);
        }
        for warning in settings.start_up_warnings() {
            tracing::warn!("{warning}");
        }
        let mailer = app::server::mail::mailer::Mailer::from_settings(&settings)?;
        let state = Self::state(settings).await?;
        let router = router(state.clone());
        spawn_housekeeping(state.clone());
        spawn_reminders(state.clone());
        outbox_worker::Worker::new(state.clone(), mailer, worker).spawn();
        Ok(App { state, router })
    }

    /// Serves until Ctrl-C / SIGTERM, then gives running requests `SHOAL_SHUTDOWN_SECONDS` to
    /// finish (`listener::serve`: timeouts and a connection cap too).
    pub async fn serve(self, listener: tokio::net::TcpListener) -> Result<(), String> {
        let grace = self.state.settings.shutdown_grace;
        listener::serve(
            listener,
            self.router,
            listener::Bounds::standard(grace),
            shutdown_signal(),
        )
        .await;
        Ok(())
    }
}

/// The app's routes, worked out once per process. Leptos raises a process-wide "suppress resource
/// loads" flag while it generates them, and a resource first polled during that window waits forever
/// (leptos issue #4773): a second server built in the same process (the test harness builds one per
/// test) would stall a page another server is rendering at that moment.
pub fn route_list() -> Vec<AxumRouteListing> {
    routes().all.clone()
}

/// Every route, and the patterns of those the learner and the visitor bundles have
/// (`app::routes::LearnerApp`'s and `VisitorApp`'s own lists, so a page is never served with a
/// bundle that lacks it).
struct Routes {
    all: Vec<AxumRouteListing>,
    bundles: site::BundlePaths,
}

fn routes() -> &'static Routes {
    fn patterns(routes: Vec<AxumRouteListing>) -> Arc<std::collections::HashSet<String>> {
        Arc::new(routes.iter().map(|r| r.path().to_owned()).collect())
    }
    static ROUTES: LazyLock<Routes> = LazyLock::new(|| Routes {
        all: generate_route_list(site::App),
        bundles: site::BundlePaths {
            learner: patterns(generate_route_list(app::routes::LearnerApp)),
            visitor: patterns(generate_route_list(app::routes::VisitorApp)),
        },
    });
    &ROUTES
}

pub fn router(state: AppState) -> Router {
    let ctx_state = state.clone();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(dev_mailbox::routes(&state.settings))
        .leptos_routes_with_context(
            &state,
            route_list(),
            move || {
                provide_context(ctx_state.clone());
                provide_context(routes().bundles.clone());
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            render_pool::RenderPool::new(cores),
            render_pool::render_on_pool,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::compress_signed_out_pages,
        ))
        .merge(assets::routes(
            std::path::Path::new(&state.settings.site_root),
            &state.assets,
        ))
        .merge(exports::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::origin_check,
        ))
        // Bearer-token routes: no cookies, so no Origin check.
        .merge(json_api::routes())
        // `body_limit` sets the limits; axum's own 2 MB default would cut the look-up short.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::body_limit,
        ))
        // Outside the body limit, so its bare 413 becomes an `AppError` too.
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::strict_transport_security,
        ))
        .layer(axum::middleware::from_fn(middleware::request_context))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Every minute: queues the invitation reminders that are due (`services::reminders`).
fn spawn_reminders(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match app::server::services::reminders::queue_due(&state, app::server::db::now_ms())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "invitation reminders queued"),
                Err(e) => {
                    tracing::warn!(error = %e, "invitation reminders failed; next try in a minute")
                }
            }
        }
    });
}

/// Every hour: deletes what has expired (`repo::housekeeping::PURGES`).
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match repo::housekeeping::purge_expired(&state.db, app::server::db::now_ms()).await {
                Ok(deleted) => {
                    for (what, n) in deleted.into_iter().filter(|(_, n)| *n > 0) {
                        tracing::info!(deleted = n, "housekeeping: {what} removed");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "housekeeping failed; next try in an hour"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
