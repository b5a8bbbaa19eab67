//! Settings → "Require email confirmation when signing up without an invitation link".

use leptos::prelude::*;

use crate::{api::join::SetSignupConfirmation, components::field::go_to};

#[component]
pub fn SignupConfirmationSetting(current: bool) -> impl IntoView {
    let on = RwSignal::new(current);
    let action = ServerAction::<SetSignupConfirmation>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get()
            && let Some(w) = web_sys::window()
        {
            let _ = w
                .location()
                .pathname()
                .map(|p| go_to(&format!("{p}?saved=signup")));
        }
    });
    view! {
        <section class="settings-section" aria-labelledby="signup-title">
            <h2 id="signup-title">"Signing up"</h2>
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-testid="require-signup-confirmation"
                    prop:checked=move || on.get()
                    on:change=move |ev| on.set(event_target_checked(&ev))
                />
                <span>
                    "Require email confirmation when signing up without an invitation link"<br />
                    <span class="muted small">
                        "People invited without an email who sign up at the academy link first get a 6-digit code by email. Strangers signing up to a public academy, people whose invitation was emailed and Learner-Admins always do."
                    </span>
                </span>
            </label>
            {move || {
                action
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e.to_string()}
                            </div>
                        }
                    })
            }}
            <button
                type="button"
                class="button"
                disabled=move || action.pending().get() || on.get() == current
                on:click=move |_| {
                    action
                        .dispatch(SetSignupConfirmation {
                            on: on.get_untracked(),
                        });
                }
            >
                "Save"
            </button>
        </section>
    }
}
