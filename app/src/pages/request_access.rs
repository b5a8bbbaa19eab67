//! "Request access" on a private academy's link: offered beside "Sign up", and prominently once a
//! sign-up was refused because the academy is invite-only. Starts from what was typed into "Sign up".

use leptos::{ev, prelude::*};

use crate::{
    api::access_requests::{RequestAccess as SendRequest, RequestSent},
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

/// The offer (a line, or a callout after an invite-only refusal) and, once opened, the form.
#[component]
pub fn RequestAccess(
    slug: String,
    typed: Typed,
    /// The form is open (the caller hides "Sign up" meanwhile).
    open: RwSignal<bool>,
    /// The last sign-up was refused as invite-only.
    #[prop(into)]
    offer: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || if open.get() {
            view! { <RequestForm slug=slug.clone() typed open/> }.into_any()
        } else if offer.get() {
            view! {
                <div class="request-offer" data-testid="request-access-offer">
                    <p><strong>"Not invited?"</strong>" You can ask the academy's administrators for access. They approve or decline, and you get an email either way."</p>
                    <button type="button" class="button button-primary" on:click=move |_| open.set(true)>"Request access"</button>
                </div>
            }.into_any()
        } else {
            view! {
                <p class="muted small request-access-line">
                    "Not invited? "
                    <button type="button" class="link-button" data-testid="request-access-link" on:click=move |_| open.set(true)>"Request access"</button>
                </p>
            }.into_any()
        }}
    }
}

#[component]
fn RequestForm(slug: String, typed: Typed, open: RwSignal<bool>) -> impl IntoView {
    let action = ServerAction::<SendRequest>::new();
    let value = action.value();
    let message = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let first_input = NodeRef::<leptos::html::Input>::new();
    // The form appears after a click: put the cursor in it (autofocus only works on page load).
    Effect::new(move |_| {
        if let Some(el) = first_input.get() {
            let _ = el.focus();
        }
    });
    let error = move |field: &'static str| {
        Signal::derive(move || match value.get() {
            Some(Err(e)) => e.field_message(field),
            _ => None,
        })
    };
    let form_error = Signal::derive(move || match value.get() {
        Some(Err(e)) if !e.is_field_error() => Some(e.to_string()),
        _ => None,
    });
    let slug = StoredValue::new(slug);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(SendRequest {
            slug: slug.get_value(),
            email: typed.email.get_untracked(),
            first_name: typed.first_name.get_untracked(),
            last_name: typed.last_name.get_untracked(),
            message: message.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let count = move || message.with(|m| m.chars().count());
    let over = move || count() > MAX_MESSAGE_CHARS;
    view! {
        <section class="sign-up request-access" aria-labelledby="request-title" data-testid="request-access-form">
            <h2 id="request-title">"Request access"</h2>
            {move || match value.get() {
                Some(Ok(sent)) => view! {
                    <div class="alert alert-info request-sent" role="status" data-testid="request-sent">
                        {match sent {
                            RequestSent::Sent => view! {
                                <strong>"Request sent."</strong>" You'll get an email when an administrator answers."
                            }.into_any(),
                            RequestSent::Updated => view! {
                                <strong>"Request updated."</strong>" You had asked with this address already; your request now carries this message. You'll get an email when an administrator answers."
                            }.into_any(),
                        }}
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <Show when=move || !matches!(value.get(), Some(Ok(_)))>
                <p class="muted small">"This academy is invite-only. Tell its administrators who you are; they approve or decline your request."</p>
                <div class="alert alert-error" role="alert" hidden=move || form_error.get().is_none()>{move || form_error.get()}</div>
                <form on:submit=submit novalidate>
                    <div class="name-pair">
                        <TextField id="request-first-name" label="First name" value=typed.first_name autocomplete="given-name"
                            error=error("first_name") node_ref=first_input/>
                        <TextField id="request-last-name" label="Last name" value=typed.last_name autocomplete="family-name"
                            error=error("last_name")/>
                    </div>
                    <TextField id="request-email" label="Email" kind="email" value=typed.email autocomplete="email" error=error("email")/>
                    <div class="field" class:invalid=move || error("message").get().is_some() || over()>
                        <label for="request-message">"Message "<span class="muted small">"(optional)"</span></label>
                        <textarea id="request-message" rows="4" placeholder="Who you are, and why you would like to join"
                            aria-describedby="request-message-count"
                            prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                        <p class="hint char-count" id="request-message-count" class:over=over>
                            {move || format!("{} / 1,000 characters", count())}
                        </p>
                        {move || error("message").get().map(|m| view! { <p class="field-error">{m}</p> })}
                    </div>
                    <TextField id="request-password" label="Password (optional)" kind="password" value=password autocomplete="new-password"
                        hint="Set a password now, so you can sign in as soon as you are approved. At least 8 characters. Leave it empty to get an invitation email instead."
                        error=error("password")/>
                    <button type="submit" class="button button-primary button-block" data-testid="send-request" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Sending…" } else { "Send request" }}
                    </button>
                </form>
                <p class="request-back">
                    <button type="button" class="link-button" on:click=move |_| open.set(false)>"Back to sign up"</button>
                </p>
            </Show>
        </section>
    }
}

/// A labelled input with its own id (the "Sign up" form's fields stay in the page, hidden).
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    error: Signal<Option<String>>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Input>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = vec![];
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete=autocomplete node_ref=node_ref
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
    }
}
