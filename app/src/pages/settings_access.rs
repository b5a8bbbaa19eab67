//! Settings → General: "Visibility" (public or private academy) and "Notification settings"
//! ("Email administrators when someone requests access").

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::access_requests::{SetAccessRequestEmails, SetVisibility, load_access_settings},
    components::{
        choice::{Choice, RadioChoices, SaveButton},
        field::{FormAlert, go_to},
        nav::use_academy,
        notice::{Notice, NoticeLine},
    },
    domain::access_request::Visibility,
};

/// Public or private. After saving, the page loads again in full, so every part of it (the academy
/// link's sign-up, the Access Requests tab) sees the new visibility.
#[component]
pub fn VisibilitySetting() -> impl IntoView {
    let academy = use_academy().academy;
    let current = academy.visibility;
    let slug = academy.slug;
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("visibility");
    let chosen = RwSignal::new(current);
    let action = ServerAction::<SetVisibility>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to(&format!("/a/{slug}/admin/settings?saved=visibility"));
        }
    });
    let error = Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(SetVisibility {
            visibility: chosen.get_untracked(),
        });
    };
    view! {
        <section
            class="settings-section"
            aria-labelledby="visibility-title"
            data-testid="visibility-section"
        >
            <h2 id="visibility-title">"Visibility"</h2>
            {move || {
                saved()
                    .then(|| {
                        view! {
                            <div
                                class="alert alert-info"
                                role="status"
                                data-testid="visibility-notice"
                            >
                                {match current {
                                    Visibility::Public => {
                                        "Saved. Your academy is public: anyone with the academy link can sign up as a Learner."
                                    }
                                    Visibility::Private => {
                                        "Saved. Your academy is private: only invited people can register, and others can request access."
                                    }
                                }}
                            </div>
                        }
                    })
            }}
            <form on:submit=submit class="visibility-form">
                <FormAlert message=error />
                <RadioChoices
                    name="visibility"
                    legend="Who can sign up at the academy link"
                    current
                    chosen
                    testid_prefix="visibility"
                    choices=Visibility::ALL
                        .into_iter()
                        .map(|v| Choice {
                            value: v,
                            key: v.as_str(),
                            label: v.label(),
                            description: v.description().to_string(),
                        })
                        .collect()
                />
                <SaveButton
                    pending=action.pending()
                    unchanged=Signal::derive(move || chosen.get() == current)
                />
            </form>
        </section>
    }
}

/// "Email administrators when someone requests access", with the page's HTML.
#[component]
pub fn NotificationSettings() -> impl IntoView {
    let action = ServerAction::<SetAccessRequestEmails>::new();
    let settings = Resource::new(|| (), |_| load_access_settings());
    let loaded = move || settings.get().and_then(|r| r.ok()).map(|s| s.notify_admins);
    // What the box shows (the loaded value until the person ticks it) and the value saved last.
    let ticked = RwSignal::new(None::<bool>);
    let saved_last = RwSignal::new(None::<bool>);
    let on = move || ticked.get().or_else(loaded);
    let saved = move || saved_last.get().or_else(loaded);
    let notice = Notice::default();
    notice.follow(action.value(), move |()| {
        let now = on();
        saved_last.set(now);
        Some(if now == Some(true) {
            "Saved. Owners and Administrators get an email for each new access request.".into()
        } else {
            "Saved. Nobody is emailed about access requests; they wait under Learners & Teams → Access Requests.".into()
        })
    });
    view! {
        <section
            class="settings-section"
            aria-labelledby="notifications-title"
            data-testid="notification-settings"
        >
            <h2 id="notifications-title">"Notification settings"</h2>
            <Transition fallback=|| {
                view! {
                    <p class="muted" aria-busy="true">
                        "Loading notification settings…"
                    </p>
                }
            }>
                {move || match settings.get() {
                    None => ().into_any(),
                    Some(Err(e)) => {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e.to_string()}
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(_)) => {
                        view! {
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    data-testid="notify-access-requests"
                                    prop:checked=move || on().unwrap_or(false)
                                    on:change=move |ev| ticked.set(Some(event_target_checked(&ev)))
                                />
                                <span>
                                    "Email administrators when someone requests access"<br />
                                    <span class="muted small">
                                        "Each Owner and Administrator gets an email with the request and a link to Access Requests."
                                    </span>
                                </span>
                            </label>
                            <NoticeLine notice test_id="notification-notice" />
                            <button
                                type="button"
                                class="button"
                                disabled=move || action.pending().get() || on() == saved()
                                on:click=move |_| {
                                    if let Some(v) = on() {
                                        action.dispatch(SetAccessRequestEmails { on: v });
                                    }
                                }
                            >
                                {move || if action.pending().get() { "Saving…" } else { "Save" }}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </Transition>
        </section>
    }
}
