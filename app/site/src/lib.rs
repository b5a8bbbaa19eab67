//! The whole site: every route, the admin areas each a lazily loaded chunk of the admin bundle,
//! and the HTML shell the server renders around a page, which names the bundle the page loads.
//!
//! The learner's routes are `app::routes::learner_routes`, shared with the learner bundle's app;
//! this crate adds the admin areas beside them. It is a crate of its own because a lazy route
//! exports its code from every WASM module its crate is linked into: in `app`, the learner
//! bundle would carry every admin page.

use app::pages::{
    academy::AcademyLayout,
    admin_shell::{AdminHome, AdminShell},
    not_found::NotFound,
};
use app::routes::{learner_routes, routed};
use leptos::prelude::*;
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    components::{ParentRoute, Route},
    lazy_route, path,
};

#[cfg(feature = "ssr")]
mod shell;
#[cfg(feature = "ssr")]
pub use shell::{BundlePaths, shell};

/// Every page. The admin pages are under their academy's layout again (a route apart from the
/// learner's `/a/:slug`, tried after it): following a link between a learner page and an admin page
/// renders the layout anew.
#[component]
pub fn App() -> impl IntoView {
    let admin = view! {
        <ParentRoute path=path!("/a/:slug") view=AcademyLayout ssr=SsrMode::Async>
            // Each admin area (a list and its items' pages) is a chunk of its own, loaded the
            // first time it is opened.
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
                <Route path=path!("teams") view={Lazy::<TeamsArea>::new()} ssr=SsrMode::Async />
                <Route
                    path=path!("teams/:team_id")
                    view={Lazy::<TeamsArea>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("courses") view={Lazy::<CoursesArea>::new()} ssr=SsrMode::Async />
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
                <Route path=path!("audit") view={Lazy::<AuditArea>::new()} ssr=SsrMode::Async />
            </ParentRoute>
        </ParentRoute>
    }
    .into_inner();
    routed((learner_routes(), admin), || view! { <NotFound /> })
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
    LearnersArea => app::pages::learners::LearnersPage,
    "user_id" => app::pages::learners::LearnerPage
);
lazy_area!(
    /// The teams list and a team's page.
    TeamsArea => app::pages::teams::TeamsPage,
    "team_id" => app::pages::teams::TeamPage
);
lazy_area!(
    CoursesArea => app::pages::courses::CoursesPage,
    "course_id" => app::pages::courses::CoursePage
);
lazy_area!(StatisticsArea => app::pages::statistics::StatisticsPage);
lazy_area!(SettingsArea => app::pages::admin_shell::SettingsRoute);
lazy_area!(AuditArea => app::pages::audit::AuditPage);
