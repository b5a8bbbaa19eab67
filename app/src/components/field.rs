//! A labelled form field that shows its own error and keeps what the user typed.

use leptos::prelude::*;

use crate::error::AppError;

/// The message for `field` from the last result of a form's action.
pub fn field_error<T, S>(value: S, field: &'static str) -> Signal<Option<String>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => e.field_message(field),
        _ => None,
    })
}

/// Why the last run of an action failed, in words (a confirmation dialog shows it).
pub fn failure<T, S>(value: S) -> Signal<Option<String>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    })
}

/// The form-level message (anything not tied to one field).
pub fn form_error<T, S>(value: S) -> Signal<Option<String>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e))
            if !e.is_field_error()
                || matches!(&e, AppError::Validation { fields, .. } if fields.is_empty()) =>
        {
            Some(e.to_string())
        }
        _ => None,
    })
}

#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    /// Owned by the parent when it needs to read or fill the value; else the field keeps its own.
    #[prop(optional)]
    value: Option<RwSignal<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] readonly: bool,
    /// The most characters it takes; by default the cap of the rule for a field named `name`
    /// (`domain::text`).
    #[prop(optional)]
    maxlength: Option<usize>,
) -> impl IntoView {
    let maxlength = maxlength.or_else(|| crate::domain::text::cap_for_field(name));
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
    let describedby = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
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
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                readonly=readonly
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describedby
                // The attribute is what the server's HTML carries (a form works before the WASM
                // arrives); the property follows the signal once it has.
                value=value.get_untracked()
                prop:value=move || value.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    value.set(text.clone());
                    if let Some(cb) = on_input {
                        cb.run(text);
                    }
                }
            />
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id>
                            {h}
                        </p>
                    }
                })}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                {e}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A message about the whole form, announced to screen readers.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="alert alert-error" role="alert">
                    {m}
                </div>
            }
        })
    }
}

/// Sends the browser to `path` with a full page load, so every part of the page sees the new session.
pub fn go_to(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(path);
    }
}
