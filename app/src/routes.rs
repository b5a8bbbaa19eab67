//! The HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};

use crate::pages::{
    academy::AcademyLayout,
    admin_shell::{AdminHome, AdminShell, SettingsRoute},
    home::AcademyHome,
    join::JoinPage,
    learners::LearnersPage,
    login::LoginPage,
    not_found::NotFound,
    start::StartPage,
    statistics::StatisticsPage,
    teams::{TeamPage, TeamsPage},
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
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tests and people can tell when the page has become interactive.
    Effect::new(|_| {
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/shoal.css"/>
        <Title formatter=|t: String| if t.is_empty() { "Shoal".to_string() } else { format!("{t} · Shoal") }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=StartPage ssr=SsrMode::Async/>
                // Not under AcademyLayout: the join page loads its academy itself, so the server renders
                // one resource in one <Suspense> (see LearnersPage on nested resources).
                <Route path=path!("/a/:slug/join/:token") view=JoinPage ssr=SsrMode::Async/>
                <ParentRoute path=path!("/a/:slug") view=AcademyLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=AcademyHome ssr=SsrMode::Async/>
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async/>
                    <ParentRoute path=path!("admin") view=AdminShell ssr=SsrMode::Async>
                        <Route path=path!("") view=AdminHome ssr=SsrMode::Async/>
                        <Route path=path!("learners") view=LearnersPage ssr=SsrMode::Async/>
                        <Route path=path!("teams") view=TeamsPage ssr=SsrMode::Async/>
                        <Route path=path!("teams/:team_id") view=TeamPage ssr=SsrMode::Async/>
                        <Route path=path!("courses") view=crate::pages::courses::CoursesPage ssr=SsrMode::Async/>
                        <Route path=path!("courses/:course_id") view=crate::pages::courses::CoursePage ssr=SsrMode::Async/>
                        <Route path=path!("statistics") view=StatisticsPage ssr=SsrMode::Async/>
                        <Route path=path!("settings") view=SettingsRoute ssr=SsrMode::Async/>
                        <Route path=path!("audit") view=crate::pages::audit::AuditPage ssr=SsrMode::Async/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
