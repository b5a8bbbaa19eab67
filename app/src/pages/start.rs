//! `/`: first-run setup, or on to an academy.

use leptos::prelude::*;
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
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(StartInfo::NeedsSetup { base_url }) => view! { <SetupForm base_url/> }.into_any(),
                    Ok(StartInfo::GoTo(path)) => view! { <Redirect path=path/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
