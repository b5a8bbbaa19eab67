//! Settings → Webhooks.

use leptos::prelude::*;

#[component]
pub fn WebhooksSettings() -> impl IntoView {
    view! { <section class="settings-section"><h2>"Webhooks"</h2></section> }
}
