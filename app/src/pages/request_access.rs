//! "Request access" on a private academy's link (`?request`): offered beside "Sign up", and
//! prominently once a sign-up was refused because the academy is invite-only. Starts from what was
//! typed into "Sign up".

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::{
    api::access_requests::RequestAccess as SendRequest,
    components::field::{Field, FormAlert, field_error, form_error},
    domain::access_request::{MAX_MESSAGE_CHARS, is_invite_only_refusal},
    error::AppError,
};

/// What the person typed into "Sign up", shared with the request form.
#[derive(Clone, Copy)]
pub struct Typed {
    pub email: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
}

impl Default for Typed {
    fn default() -> Self {
        Typed {
            email: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
        }
    }
}

/// True while the last sign-up was refused because the academy is invite-only.
pub fn refused_as_invite_only<T, S>(value: S) -> Signal<bool>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => e
            .field_message("email")
            .is_some_and(|m| is_invite_only_refusal(&m)),
        _ => false,
    })
}

/// The offer under "Sign up": a line, or a callout once a sign-up was refused as invite-only.
/// A link (`?request`), so it works before the WASM arrives.
#[component]
pub fn RequestOffer(
    slug: String,
    /// The last sign-up was refused as invite-only.
    #[prop(into)]
    offer: Signal<bool>,
) -> impl IntoView {
    let href = format!("/a/{slug}?request");
    move || {
        if offer.get() {
            view! {
                <div class="request-offer" data-testid="request-access-offer">
                    <p>
                        <strong>"Not invited?"</strong>
                        " You can ask the academy's administrators for access. They approve or decline, and you get an email either way."
                    </p>
                    <a class="button button-primary" href=href.clone()>
                        "Request access"
                    </a>
                </div>
            }
            .into_any()
        } else {
            view! {
                <p class="muted small request-access-line">
                    "Not invited? " <a href=href.clone() data-testid="request-access-link">
                        "Request access"
                    </a>
                </p>
            }
            .into_any()
        }
    }
}

/// "Request access": a plain form (it works without JavaScript); what was typed into "Sign up"
/// comes along.
#[component]
pub fn RequestForm(slug: String, typed: Typed) -> impl IntoView {
    let action = ServerAction::<SendRequest>::new();
    let value = action.value();
    let message = RwSignal::new(String::new());
    let navigate = use_navigate();
    let sent_path = format!("/a/{slug}?request=sent");
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            navigate(&sent_path, Default::default());
        }
    });
    let count = move || message.with(|m| m.chars().count());
    let over = move || count() > MAX_MESSAGE_CHARS;
    let message_error = field_error(value, "message");
    let back = format!("/a/{slug}");
    view! {
        <section
            class="sign-up request-access"
            aria-labelledby="request-title"
            data-testid="request-access-form"
        >
            <h2 id="request-title">"Request access"</h2>
            <p class="muted small">
                "This academy is invite-only. Tell its administrators who you are; they approve or decline your request, and you get an email either way."
            </p>
            <FormAlert message=form_error(value) />
            <ActionForm action=action>
                <input type="hidden" name="slug" value=slug />
                <div class="name-pair">
                    <Field
                        label="First name"
                        name="first_name"
                        autocomplete="given-name"
                        required=true
                        autofocus=true
                        value=typed.first_name
                        error=field_error(value, "first_name")
                    />
                    <Field
                        label="Last name"
                        name="last_name"
                        autocomplete="family-name"
                        value=typed.last_name
                        error=field_error(value, "last_name")
                    />
                </div>
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    value=typed.email
                    error=field_error(value, "email")
                />
                <div class="field" class:invalid=move || message_error.get().is_some() || over()>
                    <label for="request-message">
                        "Message "<span class="muted small">"(optional)"</span>
                    </label>
                    <textarea
                        id="request-message"
                        name="message"
                        rows="4"
                        placeholder="Who you are, and why you would like to join"
                        aria-describedby="request-message-count"
                        prop:value=move || message.get()
                        on:input=move |ev| message.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint char-count" id="request-message-count" class:over=over>
                        {move || format!("{} / 1,000 characters", count())}
                    </p>
                    {move || message_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <button
                    type="submit"
                    class="button button-primary button-block"
                    data-testid="send-request"
                    disabled=move || action.pending().get()
                >
                    {move || if action.pending().get() { "Sending…" } else { "Send request" }}
                </button>
            </ActionForm>
            <p class="request-back">
                <a href=back>"Back to sign up"</a>
            </p>
        </section>
    }
}

/// After "Send request" (`?request=sent`). The same words whoever asked: a stranger learns nothing
/// about the address here; its owner hears by email what happens next.
#[component]
pub fn RequestSentNote(slug: String) -> impl IntoView {
    view! {
        <section class="sign-up request-access" aria-labelledby="request-title">
            <h2 id="request-title">"Request access"</h2>
            <div class="alert alert-info request-sent" role="status" data-testid="request-sent">
                <strong>"Request sent."</strong>
                " You'll get an email at the address you gave when there is news."
            </div>
            <p class="request-back">
                <a href=format!("/a/{slug}")>"Back to the academy"</a>
            </p>
        </section>
    }
}
