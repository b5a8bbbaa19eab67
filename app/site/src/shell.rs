//! The HTML around every page the server renders. The page is always the whole [`App`]; what
//! differs is the bundle that hydrates it: the admin bundle (Leptos' `HydrationScripts`, the
//! lazily loaded admin areas included), the learner bundle on the learner's pages, or the
//! visitor bundle on a visitor's (no session), when the build made them (`cargo leptos watch`
//! does not: every page then loads the admin bundle).

use std::collections::HashSet;
use std::sync::Arc;

use app::routes::CspNonce;
use app::server::state::{AppState, PageBundle, SiteAssets};
use axum::extract::MatchedPath;
use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;

/// The route patterns each bundle has (`/a/{slug}/login`, …, as axum writes them): the server
/// works them out from `app::routes::LearnerApp` and `VisitorApp` and provides them to every
/// render.
#[derive(Clone, Debug)]
pub struct BundlePaths {
    pub learner: Arc<HashSet<String>>,
    pub visitor: Arc<HashSet<String>>,
}

/// The bundle a page loads, other than the admin bundle: the visitor's when the request carries
/// no session and the visitor bundle has the route (a visitor's page never shows the signed-in
/// learner's, so the server renders just what that bundle has), else the learner's when it has
/// the route; `None` (the admin bundle) otherwise, an unknown address included. A stale session
/// cookie counts as a session: the learner bundle has every page the visitor's has.
pub fn page_bundle(
    assets: &SiteAssets,
    paths: &BundlePaths,
    route: &str,
    has_session: bool,
) -> Option<PageBundle> {
    let visitor = assets
        .visitor
        .clone()
        .filter(|_| !has_session && paths.visitor.contains(route));
    visitor.or_else(|| {
        assets
            .learner
            .clone()
            .filter(|_| paths.learner.contains(route))
    })
}

/// Every page, with the bundle [`page_bundle`] chooses.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let parts = use_context::<http::request::Parts>();
    if let Some(nonce) = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    let state = use_context::<AppState>();
    // The stylesheet's name carries the build's hash.
    let stylesheet = state
        .as_ref()
        .map(|s| s.assets.stylesheet.clone())
        .unwrap_or_else(|| "/pkg/shoal.css".into());
    let bundle = (|| {
        let state = state.as_ref()?;
        let parts = parts.as_ref()?;
        let route = parts.extensions.get::<MatchedPath>()?;
        page_bundle(
            &state.assets,
            &use_context::<BundlePaths>()?,
            route.as_str(),
            app::server::auth::has_session_cookie(&state.settings, &parts.headers),
        )
    })();
    let scripts = match bundle {
        Some(bundle) => view! { <BundleScripts bundle /> }.into_any(),
        None => view! { <HydrationScripts options=options.clone() /> }.into_any(),
    };
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
                <AutoReload options />
                <OnTrap />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Loads the learner's or the visitor's bundle and hydrates the page with it, as
/// `HydrationScripts` does for the admin bundle: both files asked for at once, then the glue
/// starts the module.
#[component]
fn BundleScripts(bundle: PageBundle) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let start = format!(
        "import init, {{ hydrate }} from {js:?};\n\
         init({{ module_or_path: {wasm:?} }}).then(() => hydrate());",
        js = bundle.js,
        wasm = bundle.wasm,
    );
    view! {
        <link rel="modulepreload" href=bundle.js.clone() />
        <link
            rel="preload"
            href=bundle.wasm.clone()
            r#as="fetch"
            r#type="application/wasm"
            crossorigin=""
        />
        <script type="module" nonce=nonce>
            {start}
        </script>
    }
}

/// Marks the page broken when its WASM traps (`<body data-hydrated="false" data-panicked="true">`,
/// as the panic hook of a dev build does, `app::components::browser::hydrate_page`): the release
/// build stops the module at a panic without running any Rust (`panic = "immediate-abort"`), and
/// the trap reaches the page as a `WebAssembly.RuntimeError`, thrown from an event handler or a
/// task (`error`) or from a promise (`unhandledrejection`, hydration's first steps).
#[component]
fn OnTrap() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! { <script nonce=nonce>{ON_TRAP}</script> }
}

// Written without `<`, `>` or `&`, which a text node's escaping would change.
const ON_TRAP: &str = "{function broken(e){if(e instanceof WebAssembly.RuntimeError){\
const b=document.body.dataset;b.hydrated=\"false\";b.panicked=\"true\"}}\
addEventListener(\"error\",function(e){broken(e.error)});\
addEventListener(\"unhandledrejection\",function(e){broken(e.reason)})}";
