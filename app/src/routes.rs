//! The learner's routes and the learner bundle's app, and the router every page has around it.
//!
//! The learner pages (the start page, the academy link, sign-in, joining from an invitation,
//! password reset, the learner home) load a WASM module of their own, `frontend/learner`, built
//! from [`LearnerApp`] alone: none of the admin areas' code reaches it. The whole site — these
//! routes, the admin areas beside them and the HTML shell — is the `site` crate's `App`, which the
//! server renders for every page and the admin bundle (`frontend`) hydrates. The server serves a
//! route with the learner bundle exactly when [`LearnerApp`] has it (`site::shell`).

use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    MatchNestedRoutes, SsrMode,
    components::{ParentRoute, Route, RouteChildren, Router, Routes, RoutesProps},
    path,
};

use crate::pages::{
    academy::AcademyLayout,
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

/// The site's router over `routes`, `fallback` where none matches, with what every page has
/// around it: the page title's form. (The routes are handed over built, not written inside
/// `<Routes>`, so the learner's can be shared with the whole site's.)
pub fn routed<Defs, Fallback, View>(routes: Defs, fallback: Fallback) -> impl IntoView
where
    Defs: MatchNestedRoutes + Clone + Send + 'static,
    Fallback: FnOnce() -> View + Clone + Send + 'static,
    View: IntoView + 'static,
{
    provide_meta_context();
    view! {
        <Title formatter=|t: String| {
            if t.is_empty() { "Shoal".to_string() } else { format!("{t} · Shoal") }
        } />
        <Router>
            <BuiltRoutes routes fallback />
        </Router>
    }
}

/// `<Routes>` over routes built beforehand (made inside the `<Router>`, which it needs).
#[component]
fn BuiltRoutes<Defs, Fallback, View>(routes: Defs, fallback: Fallback) -> impl IntoView
where
    Defs: MatchNestedRoutes + Clone + Send + 'static,
    Fallback: FnOnce() -> View + Clone + Send + 'static,
    View: IntoView + 'static,
{
    Routes(
        RoutesProps::builder()
            .fallback(fallback)
            .children(RouteChildren::to_children(move || routes))
            .build(),
    )
}

/// The pages a learner meets, each rendered by the server first (`SsrMode::Async`). A plain
/// function rather than a `#[component(transparent)]`, which `erase_components` would make return
/// the routes type-erased (`AnyNestedRoute`); measured, the learner bundle is the same size either
/// way (within 1 KB), so the concrete types stay.
pub fn learner_routes() -> impl MatchNestedRoutes + Clone {
    view! {
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
        </ParentRoute>
    }
    .into_inner()
}

/// The learner bundle's app: the learner routes alone. A link from a learner page to any other
/// page (an administrator's "Admin", a mistyped address) loads that page from the server, which
/// sends the bundle that has it.
#[component]
pub fn LearnerApp() -> impl IntoView {
    routed(learner_routes(), || view! { <OtherBundle /> })
}

/// A page the learner bundle does not have. Reached only by following a link once the page is
/// running (the server never sends this bundle with a page it lacks): the page is loaded from the
/// server, at the address the router was going to (it has not necessarily reached the browser's
/// address bar yet). While hydrating it renders what the server did for an unknown address.
#[component]
fn OtherBundle() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::components::browser::is_hydrated() {
        let at = leptos_router::hooks::use_location();
        let mut to = at.pathname.get_untracked();
        let search = at.search.get_untracked();
        if !search.is_empty() {
            to.push('?');
            to.push_str(&search);
        }
        let hash = at.hash.get_untracked();
        if !hash.is_empty() {
            if !hash.starts_with('#') {
                to.push('#');
            }
            to.push_str(&hash);
        }
        crate::components::browser::load_from_server(&to);
        return ().into_any();
    }
    view! { <NotFound /> }.into_any()
}
