//! "Create your academy": the first-run form.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::accounts::CreateFirstAcademy,
    components::field::{Field, FormAlert, field_error, form_error, go_to},
    domain::slug::Slug,
};

#[component]
pub fn SetupForm(base_url: String) -> impl IntoView {
    let action = ServerAction::<CreateFirstAcademy>::new();
    let value = action.value();
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let slug_edited = RwSignal::new(false);
    // Suggest the slug from the name until the admin types one of their own.
    Effect::new(move |_| {
        let n = name.get();
        if !slug_edited.get_untracked() {
            slug.set(Slug::suggest(&n));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            go_to(&path);
        }
    });
    view! {
        <Title text="Create your academy" />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">"Shoal"</p>
                <h1>"Create your academy"</h1>
                <p class="muted">
                    "Your academy is where you invite learners and they take their courses. You will be its Owner."
                </p>
                <FormAlert message=form_error(value) />
                <ActionForm action=action attr:data-testid="setup-form">
                    <Field
                        label="Academy name"
                        name="academy_name"
                        autocomplete="organization"
                        required=true
                        autofocus=true
                        value=name
                        error=field_error(value, "academy_name")
                    />
                    <Field
                        label="URL slug"
                        name="slug"
                        required=true
                        value=slug
                        on_input=Callback::new(move |_| slug_edited.set(true))
                        hint="Lowercase letters, digits and hyphens. It becomes your academy link."
                        error=field_error(value, "slug")
                    />
                    <p class="slug-preview muted">
                        "Academy link: " <code>{base_url} "/a/" {move || slug.get()}</code>
                    </p>
                    <Field
                        label="Your name"
                        name="owner_name"
                        autocomplete="name"
                        required=true
                        error=field_error(value, "owner_name")
                    />
                    <Field
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="email"
                        required=true
                        error=field_error(value, "email")
                    />
                    <Field
                        label="Password"
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        required=true
                        hint="At least 8 characters. Any characters you like; very common passwords are refused."
                        error=field_error(value, "password")
                    />
                    <button
                        type="submit"
                        class="button button-primary button-block"
                        disabled=move || action.pending().get()
                    >
                        {move || {
                            if action.pending().get() { "Creating…" } else { "Create academy" }
                        }}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
