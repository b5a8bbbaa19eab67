//! Settings → Invitations: how long invitation links work (1–90 days, or never) and the reminder
//! emailed before they expire. After saving, the page loads again in full, so every text that
//! names the lifetime (the Invites tab, the dialogs) says the new one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::settings::SetInviteLifecycle,
    components::{
        field::{FormAlert, go_to},
        nav::use_academy,
    },
    domain::invite::{DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS},
};

#[component]
pub fn InvitationSettings() -> impl IntoView {
    let academy = use_academy().academy;
    let current = academy.invite_lifecycle;
    let slug = academy.slug;
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("invitations");
    let never = RwSignal::new(current.expiry_days.is_none());
    let days = RwSignal::new(
        current
            .expiry_days
            .unwrap_or(DEFAULT_EXPIRY_DAYS as u32)
            .to_string(),
    );
    let remind = RwSignal::new(current.reminder_days.is_some());
    let before = RwSignal::new(current.reminder_days.unwrap_or(3).to_string());
    let action = ServerAction::<SetInviteLifecycle>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to(&format!("/a/{slug}/admin/settings?saved=invitations"));
        }
    });
    let error = crate::components::field::failure(value);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let expiry_days = if never.get_untracked() {
            0
        } else {
            number(days).max(1)
        };
        let reminder_days = if remind.get_untracked() && !never.get_untracked() {
            number(before)
        } else {
            0
        };
        action.dispatch(SetInviteLifecycle {
            expiry_days,
            reminder_days,
        });
    };
    view! {
        <section
            class="settings-section"
            aria-labelledby="invitations-title"
            data-testid="invitations-section"
        >
            <h2 id="invitations-title">"Invitations"</h2>
            {move || {
                saved()
                    .then(|| {
                        view! {
                            <div
                                class="alert alert-info"
                                role="status"
                                data-testid="invitations-notice"
                            >
                                {format!(
                                    "Saved. A new invitation link {}{}.",
                                    current.link_lifetime(),
                                    match current.reminder_days {
                                        Some(d) => {
                                            format!(
                                                "; a reminder goes out {d} day{} before a link expires",
                                                if d == 1 { "" } else { "s" },
                                            )
                                        }
                                        None => String::new(),
                                    },
                                )}
                            </div>
                        }
                    })
            }}
            <form on:submit=submit class="lifecycle-form">
                <FormAlert message=error />
                <div class="inline-fields">
                    <div class="field">
                        <label for="expiry-days">"Invitation links work for (days)"</label>
                        <input
                            id="expiry-days"
                            type="number"
                            min="1"
                            max=MAX_EXPIRY_DAYS.to_string()
                            required
                            prop:value=move || days.get()
                            disabled=move || never.get()
                            on:input=move |ev| days.set(event_target_value(&ev))
                        />
                    </div>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            data-testid="never-expire"
                            prop:checked=move || never.get()
                            on:change=move |ev| never.set(event_target_checked(&ev))
                        />
                        <span>"Links never expire"</span>
                    </label>
                </div>
                <div class="inline-fields">
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            data-testid="send-reminder"
                            prop:checked=move || remind.get() && !never.get()
                            disabled=move || never.get()
                            on:change=move |ev| remind.set(event_target_checked(&ev))
                        />
                        <span>"Email a reminder before a link expires"</span>
                    </label>
                    <div class="field">
                        <label for="reminder-days">"Days before expiry"</label>
                        <input
                            id="reminder-days"
                            type="number"
                            min="1"
                            max=MAX_EXPIRY_DAYS.to_string()
                            prop:value=move || before.get()
                            disabled=move || never.get() || !remind.get()
                            on:input=move |ev| before.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <p class="muted small">
                    "Applies to invitations sent from now on, and to those resent. Each invitation gets at most one reminder per expiry, and only if it was emailed; the Invites tab shows \"Reminder sent\"."
                </p>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    "Save"
                </button>
            </form>
        </section>
    }
}
