//! The HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    lazy_route, path,
};

use crate::pages::{
    academy::AcademyLayout,
    admin_shell::{AdminHome, AdminShell},
    home::AcademyHome,
    join::JoinPage,
    login::LoginPage,
    not_found::NotFound,
    password::{AccountPage, ForgotPage, ResetPage},
    start::StartPage,
};

/// A per-request CSP nonce, put into the request by the server's header middleware.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // The shell renders on the server only; the stylesheet's name carries the build's hash.
    #[cfg(feature = "ssr")]
    let stylesheet = use_context::<crate::server::state::AppState>()
        .map(|s| s.assets.stylesheet.clone())
        .unwrap_or_else(|| "/pkg/shoal.css".into());
    #[cfg(not(feature = "ssr"))]
    let stylesheet = String::from("/pkg/shoal.css");
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                // id="leptos": `cargo leptos watch` swaps this sheet in place when the CSS changes.
                <link id="leptos" rel="stylesheet" href=stylesheet />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|t: String| {
            if t.is_empty() { "Shoal".to_string() } else { format!("{t} · Shoal") }
        } />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=StartPage ssr=SsrMode::Async />
                // Not under AcademyLayout: the join page loads its academy itself, so the server renders
                // one resource in one <Suspense> (see LearnersPage on nested resources).
                <Route path=path!("/a/:slug/join/:token") view=JoinPage ssr=SsrMode::Async />
                <ParentRoute path=path!("/a/:slug") view=AcademyLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=AcademyHome ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("reset/:token") view=ResetPage ssr=SsrMode::Async />
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                    // Each admin area (a list and its items' pages) is a chunk of its own, loaded the
                    // first time it is opened: learners never download the admin pages' code.
                    <ParentRoute path=path!("admin") view=AdminShell ssr=SsrMode::Async>
                        <Route path=path!("") view=AdminHome ssr=SsrMode::Async />
                        <Route
                            path=path!("learners")
                            view={Lazy::<LearnersArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("learners/:user_id")
                            view={Lazy::<LearnersArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("teams")
                            view={Lazy::<TeamsArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("teams/:team_id")
                            view={Lazy::<TeamsArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("courses")
                            view={Lazy::<CoursesArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("courses/:course_id")
                            view={Lazy::<CoursesArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("statistics")
                            view={Lazy::<StatisticsArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("settings")
                            view={Lazy::<SettingsArea>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("audit")
                            view={Lazy::<AuditArea>::new()}
                            ssr=SsrMode::Async
                        />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// An admin area whose code is split out of the first WASM module (`cargo leptos build --split`)
/// and fetched when it is first opened. The pages load their own data, so the route has none.
///
/// An area is a list and, where it has one, the page of one of its items (the route with the
/// `$param` parameter): they share their code, so one chunk holds both. Each split point costs
/// the release build a set of chunks (one per combination of areas that shares a function, each
/// optimised and compressed on its own) and the browser a request per chunk; nine areas had made
/// an admin page load ~70 files, the release build optimise ~120 modules.
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident => $page:path $(, $param:literal => $item_page:path)?) => {
        $(#[$doc])*
        struct $area {
            /// The route carries the item's parameter: the item's page, not the list.
            item: bool,
        }

        #[lazy_route]
        impl LazyRoute for $area {
            fn data() -> Self {
                $area { item: lazy_area!(@has_param $($param)?) }
            }

            fn view(this: Self) -> AnyView {
                lazy_area!(@pick this, $page $(, $item_page)?)
            }
        }
    };
    (@has_param) => { false };
    (@has_param $param:literal) => {
        leptos_router::hooks::use_params_map().with_untracked(|p| p.get($param).is_some())
    };
    (@pick $this:ident, $page:path) => {{
        let _ = $this.item;
        $page().into_any()
    }};
    (@pick $this:ident, $page:path, $item_page:path) => {
        if $this.item { $item_page().into_any() } else { $page().into_any() }
    };
}

lazy_area!(
    /// "Manage Learners and Teams": All Learners, Invites, Access Requests, the invite dialog and
    /// CSV upload; a learner's page.
    LearnersArea => crate::pages::learners::LearnersPage,
    "user_id" => crate::pages::learners::LearnerPage
);
lazy_area!(
    /// The teams list and a team's page.
    TeamsArea => crate::pages::teams::TeamsPage,
    "team_id" => crate::pages::teams::TeamPage
);
lazy_area!(
    CoursesArea => crate::pages::courses::CoursesPage,
    "course_id" => crate::pages::courses::CoursePage
);
lazy_area!(StatisticsArea => crate::pages::statistics::StatisticsPage);
lazy_area!(SettingsArea => crate::pages::admin_shell::SettingsRoute);
lazy_area!(AuditArea => crate::pages::audit::AuditPage);
