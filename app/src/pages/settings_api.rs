//! Settings → API: OAuth applications (API clients) and how to call the API.

use leptos::prelude::*;

#[component]
pub fn ApiSettings() -> impl IntoView {
    view! { <section class="settings-section"><h2>"API"</h2></section> }
}
