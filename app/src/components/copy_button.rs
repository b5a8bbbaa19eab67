//! "Copy" next to something an admin pastes elsewhere (an id, a secret, a command).

use leptos::prelude::*;

#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    /// What is copied, for screen readers: "Copy the Client ID".
    #[prop(into)]
    what: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="button button-small"
            aria-label=what
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&text.get_untracked());
                    copied.set(true);
                }
            }
        >
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
