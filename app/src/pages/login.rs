//! `/a/:slug/login`: anyone of the academy signs in here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use crate::{
    api::accounts::SignIn,
    components::{
        field::{Field, FormAlert, field_error, form_error, go_to},
        nav::use_academy,
    },
    model::{AcademyContext, Viewer},
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let c = use_academy();
    if c.viewer.user().is_some() {
        view! { <Redirect path=c.landing_path() /> }.into_any()
    } else {
        view! { <LoginForm ctx=c /> }.into_any()
    }
}

#[component]
fn LoginForm(ctx: AcademyContext) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            go_to(&path);
        }
    });
    let query = use_query_map();
    let expired = ctx.viewer == Viewer::SessionExpired
        || query.read_untracked().get("reason").as_deref() == Some("session-ended");
    let title = format!("Sign in to {}", ctx.academy.name);
    let forgot = format!("/a/{}/forgot", ctx.academy.slug);
    view! {
        <Title text=title.clone() />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">"Shoal"</p>
                <h1>{title}</h1>
                {expired
                    .then(|| {
                        view! {
                            <div class="alert alert-info" role="status">
                                "Your session has ended. Please sign in again."
                            </div>
                        }
                    })}
                <FormAlert message=form_error(value) />
                <ActionForm action=action>
                    <input type="hidden" name="slug" value=ctx.academy.slug.clone() />
                    <Field
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="username"
                        required=true
                        autofocus=true
                        error=field_error(value, "email")
                    />
                    <Field
                        label="Password"
                        name="password"
                        kind="password"
                        autocomplete="current-password"
                        required=true
                        error=field_error(value, "password")
                    />
                    <button
                        type="submit"
                        class="button button-primary button-block"
                        disabled=move || action.pending().get()
                    >
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p class="small">
                    <a href=forgot>"Forgot your password?"</a>
                </p>
                <p class="muted small">
                    "Invited by email? Use the link in your invitation to set your password."
                </p>
            </div>
        </main>
    }
}
