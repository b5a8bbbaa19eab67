//! The name-and-colour form: "Create team" and the team's settings.

use leptos::{ev, prelude::*};

use crate::{
    components::{field::Field, team_badge::ColorPicker},
    error::AppError,
};

#[component]
pub fn TeamForm(
    /// Field ids must be unique on the page.
    form_id: &'static str,
    name: RwSignal<String>,
    color: RwSignal<String>,
    submit_label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    on_submit: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let name_error = Signal::derive(move || error.get().and_then(|e| e.field_message("name")));
    let color_error = Signal::derive(move || error.get().and_then(|e| e.field_message("color")));
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field_message("name").is_none() && e.field_message("color").is_none())
            .map(|e| e.to_string())
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    view! {
        <form class="team-form" on:submit=submit novalidate data-testid=form_id>
            {move || {
                form_error
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <Field
                label="Team name"
                name=form_id
                value=name
                error=name_error
                required=true
                autocomplete="off"
                maxlength=crate::domain::team::TEAM_NAME_MAX_LEN
            />
            <fieldset class="field">
                <legend>"Colour"</legend>
                <ColorPicker color name=format!("{form_id}-color") />
                {move || color_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </fieldset>
            <div class="form-actions">
                {on_cancel
                    .map(|c| {
                        view! {
                            <button type="button" class="button" on:click=move |_| c.run(())>
                                "Cancel"
                            </button>
                        }
                    })}
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { pending_label } else { submit_label }}
                </button>
            </div>
        </form>
    }
}
