//! Settings → Invitation email: the academy's default personal message (every invite dialog
//! starts with it) and a preview of the email a learner gets, following the words as they are
//! typed, before anything is saved.

use leptos::prelude::*;

use crate::{
    api::settings::{SetInviteMessage, invite_message_default, preview_invite_email},
    components::field::{FormAlert, failure},
    domain::{
        csv_import::thousands,
        invite_message::{MESSAGE_MAX_CHARS, PersonalMessage},
    },
    error::AppError,
    model::EmailPreview,
};

/// How long typing must pause before the preview follows.
const PREVIEW_PAUSE_MS: u64 = 400;

#[component]
pub fn InvitationEmailSettings() -> impl IntoView {
    let saved_message = Resource::new(|| (), |_| invite_message_default());
    // The preview is the browser's alone (no resource, so nothing on the page waits for it): the
    // saved message's once the page is live, then the typed words' once typing pauses. Only the
    // newest answer is shown.
    let shown = RwSignal::new(None::<Result<EmailPreview, AppError>>);
    let asked = StoredValue::new(0u32);
    let ask_preview = Callback::new(move |message: Option<String>| {
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        leptos::task::spawn_local(async move {
            let answer = preview_invite_email(message).await;
            if asked.try_get_value() == Some(this) {
                let _ = shown.try_set(Some(answer));
            }
        });
    });
    Effect::new(move |_| ask_preview.run(None));
    view! {
        <section
            class="settings-section"
            aria-labelledby="invitation-email-title"
            data-testid="invitation-email-section"
        >
            <h2 id="invitation-email-title">"Invitation email"</h2>
            <Transition fallback=|| {
                view! { <p class="muted small">"Loading the invitation email…"</p> }
            }>
                {move || {
                    saved_message
                        .get()
                        .map(|r| match r {
                            Ok(message) => {
                                view! { <MessageForm saved=message ask_preview /> }.into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="field-error" role="alert">
                                        {e.to_string()}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <h3 class="preview-title">"Preview"</h3>
            <p class="muted small">
                "What a learner you invite today gets (the link in the preview opens nothing)."
            </p>
            {move || match shown.get() {
                None => view! { <p class="muted small">"Preparing the preview…"</p> }.into_any(),
                Some(Ok(p)) => view! { <PreviewPane preview=p /> }.into_any(),
                Some(Err(e)) if e.is_field_error() => {
                    // A message the rule refuses is said at the field; the preview waits for a good one.
                    view! {
                        <p class="muted small">
                            "The preview follows once the message can be sent."
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => {
                    view! {
                        <p class="field-error" role="alert">
                            {e.to_string()}
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn MessageForm(saved: String, ask_preview: Callback<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(saved.clone());
    let last_saved = RwSignal::new(saved);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let follow = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        pending.set_value(None);
        ask_preview.run(Some(typed.get_untracked()));
    };
    let action = ServerAction::<SetInviteMessage>::new();
    let value = action.value();
    let error = failure(value);
    let just_saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            last_saved.set(
                PersonalMessage::parse(&typed.get_untracked())
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default(),
            );
            just_saved.set(true);
        }
    });
    let problem = move || PersonalMessage::parse(&typed.get()).err();
    let unchanged =
        move || PersonalMessage::parse(&typed.get()).is_ok_and(|m| m.as_str() == last_saved.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        just_saved.set(false);
        action.dispatch(SetInviteMessage {
            message: typed.get_untracked(),
        });
    };
    view! {
        <form on:submit=submit class="message-form">
            <FormAlert message=error />
            <div class="field" class:invalid=move || problem().is_some()>
                <label for="default-message">"Default personal message"</label>
                <textarea
                    id="default-message"
                    name="message"
                    rows="4"
                    maxlength=MESSAGE_MAX_CHARS
                    data-testid="default-message"
                    placeholder="For example: Welcome to Acme! Your onboarding takes about an hour — start with \"First week\"."
                    aria-invalid=move || problem().is_some().then_some("true")
                    aria-describedby="default-message-hint"
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        just_saved.set(false);
                        if let Some(h) = pending.get_value() {
                            h.clear();
                        }
                        pending
                            .set_value(
                                set_timeout_with_handle(
                                        follow,
                                        std::time::Duration::from_millis(PREVIEW_PAUSE_MS),
                                    )
                                    .ok(),
                            );
                    }
                ></textarea>
                <p id="default-message-hint" class="hint counter">
                    <span>
                        "Shown above the link in every invitation email. Each invite dialog starts with it and can change it for its own batch; leave it empty for no message."
                    </span>
                    <span>
                        {move || {
                            format!(
                                "{} / {}",
                                thousands(typed.get().chars().count()),
                                thousands(MESSAGE_MAX_CHARS),
                            )
                        }}
                    </span>
                </p>
                {move || {
                    problem()
                        .map(|why| {
                            view! {
                                <p class="field-error" role="alert">
                                    {why}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    data-testid="save-message"
                    disabled=move || {
                        action.pending().get() || problem().is_some() || unchanged()
                    }
                >
                    {move || if action.pending().get() { "Saving…" } else { "Save message" }}
                </button>
                {move || {
                    just_saved
                        .get()
                        .then(|| {
                            view! {
                                <span
                                    class="small status status-ok"
                                    role="status"
                                    data-testid="message-saved"
                                >
                                    {if last_saved.get().is_empty() {
                                        "Saved: invitations go without a default message."
                                    } else {
                                        "Saved. New invite dialogs start with this message."
                                    }}
                                </span>
                            }
                        })
                }}
            </div>
        </form>
    }
}

#[component]
fn PreviewPane(preview: EmailPreview) -> impl IntoView {
    view! {
        <div class="email-preview" data-testid="email-preview">
            <dl class="email-envelope">
                <dt>"From"</dt>
                <dd data-testid="preview-from">{preview.from}</dd>
                {preview
                    .reply_to
                    .map(|r| {
                        view! {
                            <dt>"Reply-To"</dt>
                            <dd data-testid="preview-reply-to">{r}</dd>
                        }
                    })}
                <dt>"To"</dt>
                <dd>{preview.to}</dd>
                <dt>"Subject"</dt>
                <dd data-testid="preview-subject">
                    <strong>{preview.subject}</strong>
                </dd>
            </dl>
            // No scripts and no same origin: the email's HTML cannot reach the page.
            <iframe
                class="email-body"
                title="The invitation email"
                sandbox=""
                srcdoc=preview.html
                data-testid="preview-html"
            ></iframe>
            <details class="email-text">
                <summary>"Plain-text version"</summary>
                <pre data-testid="preview-text">{preview.text}</pre>
            </details>
        </div>
    }
}
