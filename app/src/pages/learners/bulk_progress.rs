//! While a bulk action runs: how many of its items are done ("2,500 of 10,000 learners done"),
//! asked a few times a second by the key the action was sent with.

use std::time::Duration;

use leptos::prelude::*;

use crate::{api::bulk::bulk_progress, domain::statistics::thousands, model::bulk::BulkCount};

/// How often the count is asked for.
const POLL: Duration = Duration::from_millis(400);

/// A new key for one bulk action.
pub fn new_key() -> String {
    crate::components::browser::random_key(20)
}

#[component]
pub fn BulkProgressLine(
    /// The running action's key.
    key: String,
    /// How many were selected.
    n: i64,
    /// "learners", "invitations".
    many: &'static str,
) -> impl IntoView {
    let count = RwSignal::new(None::<BulkCount>);
    let ask = move || {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(c)) = bulk_progress(key).await {
                // The line may be gone by the time the answer comes.
                let _ = count.try_set(Some(c));
            }
        });
    };
    let handle = set_interval_with_handle(ask, POLL).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    view! {
        <p class="bulk-progress" role="status" data-testid="bulk-progress">
            {move || match count.get() {
                Some(c) => {
                    view! {
                        <progress max=c.total value=c.done aria-label="Done so far"></progress>
                        {format!(
                            " {} of {} {many} done…",
                            thousands(c.done as i64),
                            thousands(c.total as i64),
                        )}
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <progress aria-label="Working"></progress>
                        {format!(" Working on {} {many}…", thousands(n))}
                    }
                        .into_any()
                }
            }}
            " This page stays usable; the list updates when it is done."
        </p>
    }
}
