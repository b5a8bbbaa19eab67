//! `/`: first-run setup, or on to an academy.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    api::accounts::where_to_start,
    model::StartInfo,
    pages::{not_found::ErrorPanel, setup::SetupForm},
};

#[component]
pub fn StartPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| where_to_start());
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(StartInfo::NeedsSetup { base_url }) => {
                        view! { <SetupForm base_url /> }.into_any()
                    }
                    Ok(StartInfo::GoTo(path)) => view! { <Redirect path=path /> }.into_any(),
                    Ok(StartInfo::Several { base_url, public }) => {
                        view! { <Several base_url public /> }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/` on a server with several academies, for someone signed in to none of them.
#[component]
fn Several(base_url: String, public: Vec<(String, String)>) -> impl IntoView {
    let example = format!("{}/a/your-academy", base_url.trim_end_matches('/'));
    view! {
        <Title text="Find your academy" />
        <main class="centered">
            <div class="card card-narrow" data-testid="several-academies">
                <p class="brand-mark">"Shoal"</p>
                <h1>"Find your academy"</h1>
                <p class="muted">
                    "This Shoal hosts several academies. Open the link your academy gave you — it looks like "
                    <code>{example}</code>" — or the invitation in your email."
                </p>
                {(!public.is_empty())
                    .then(|| {
                        view! {
                            <h2>"Academies anyone can join"</h2>
                            <ul class="academy-list">
                                {public
                                    .into_iter()
                                    .map(|(name, path)| {
                                        view! {
                                            <li>
                                                <a href=path>{name}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </div>
        </main>
    }
}
