//! The routes of the two page bundles that are not the admin bundle, their apps, and the router
//! every page has around it.
//!
//! The learner pages (the start page, the academy link, sign-in, joining from an invitation,
//! password reset, "Your account", the learner home) load a WASM module of their own,
//! `frontend/learner`, built from [`LearnerApp`] alone: none of the admin areas' code reaches it.
//! A visitor without a session gets a smaller one still, `frontend/visitor`, built from
//! [`VisitorApp`]: the same pages but the signed-in learner's (the learner home, "Your account"),
//! which a visitor is never shown. The whole site — these routes, the admin areas beside them
//! and the HTML shell — is the `site` crate's `App`, which the server renders for every page and
//! the admin bundle (`frontend`) hydrates. The server serves a route with the visitor or the
//! learner bundle exactly when [`VisitorApp`] or [`LearnerApp`] has it (`site::shell`).

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
    home::{AcademyHome, VisitorHome},
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

/// The pages a learner meets, each rendered by the server first (`SsrMode::Async`): the
/// visitor's, with the learner home at the academy link, and "Your account". A plain function
/// rather than a `#[component(transparent)]`, which `erase_components` would make return the
/// routes type-erased (`AnyNestedRoute`); measured, the learner bundle is the same size either
/// way (within 1 KB), so the concrete types stay.
pub fn learner_routes() -> impl MatchNestedRoutes + Clone {
    // A route of its own under `/a/:slug` (tried after the others), so that the visitor's list
    // is the learner's without it.
    let account = view! {
        <ParentRoute path=path!("/a/:slug") view=AcademyLayout ssr=SsrMode::Async>
            <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
        </ParentRoute>
    }
    .into_inner();
    (entry_routes(AcademyHome), account)
}

/// The pages of a visitor without a session: the learner's but "Your account", and the academy
/// link without the learner home (`VisitorHome`).
pub fn visitor_routes() -> impl MatchNestedRoutes + Clone {
    entry_routes(VisitorHome)
}

/// The start page, joining, and the academy's pages for visitors, with `home` at the academy link.
fn entry_routes<Home, HomeView>(home: Home) -> impl MatchNestedRoutes + Clone
where
    Home: Fn() -> HomeView + Clone + Send + Sync + 'static,
    HomeView: IntoView + 'static,
{
    view! {
        <Route path=path!("/") view=StartPage ssr=SsrMode::Async />
        // Not under AcademyLayout: the join page loads its academy itself, so the server renders
        // one resource in one <Suspense> (see LearnersPage on nested resources).
        <Route path=path!("/a/:slug/join/:token") view=JoinPage ssr=SsrMode::Async />
        <ParentRoute path=path!("/a/:slug") view=AcademyLayout ssr=SsrMode::Async>
            <Route path=path!("") view=home ssr=SsrMode::Async />
            <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
            <Route path=path!("forgot") view=ForgotPage ssr=SsrMode::Async />
            <Route path=path!("reset/:token") view=ResetPage ssr=SsrMode::Async />
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

/// The visitor bundle's app: the visitor routes alone; any other page, "Your account" and the
/// learner home (once signed in) included, is loaded from the server.
#[component]
pub fn VisitorApp() -> impl IntoView {
    routed(visitor_routes(), || view! { <OtherBundle /> })
}

/// A page this bundle (the learner's or the visitor's) does not have. Reached only by following a link once the page is
/// running (the server never sends this bundle with a page it lacks): the page is loaded from the
/// server, at the address the router was going to (it has not necessarily reached the browser's
/// address bar yet). While hydrating it renders what the server did for an unknown address.
#[component]
pub fn OtherBundle() -> impl IntoView {
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
