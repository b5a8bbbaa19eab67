//! Passwords: `/a/:slug/forgot` ("Forgot your password?"), `/a/:slug/reset/:token` (the emailed
//! link) and `/a/:slug/account` (change the password, sign out everywhere). Every form posts as
//! plain HTML too, so each works before the WASM arrives.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_params_map, use_query_map},
};

use crate::{
    api::password::{
        ChangePassword, ForgotPassword, ResetPassword, SignOutEverywhere, load_reset_link,
    },
    components::{
        field::{Field, FormAlert, field_error, form_error, go_to},
        nav::use_academy,
    },
    error::AppError,
};

/// Follows a server function's answer (a path) once the WASM runs; without it, the server's
/// redirect already did.
fn follow(value: impl Get<Value = Option<Result<String, AppError>>> + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            go_to(&path);
        }
    });
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let c = use_academy();
    let sent = use_query_map().read_untracked().get("sent").is_some();
    let action = ServerAction::<ForgotPassword>::new();
    let value = action.value();
    follow(value);
    let login = c.academy.login_path();
    view! {
        <Title text="Forgot your password?" />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">{c.academy.name.clone()}</p>
                <h1>"Forgot your password?"</h1>
                {if sent {
                    view! {
                        <div class="alert alert-info" role="status" data-testid="reset-sent">
                            "If this address has an account here, an email with a link to choose a new password is on its way. The link works for one hour."
                        </div>
                        <p class="muted small">
                            "Nothing arrived after a few minutes? Look in the spam folder, or ask again below."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="muted">
                            "Enter the email address you sign in with. We'll email you a link to choose a new password."
                        </p>
                    }
                        .into_any()
                }}
                <FormAlert message=form_error(value) />
                <ActionForm action=action>
                    <input type="hidden" name="slug" value=c.academy.slug.clone() />
                    <Field
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="username"
                        required=true
                        autofocus=!sent
                        error=field_error(value, "email")
                    />
                    <button
                        type="submit"
                        class="button button-primary button-block"
                        disabled=move || action.pending().get()
                    >
                        {move || {
                            if action.pending().get() { "Sending…" } else { "Email me a link" }
                        }}
                    </button>
                </ActionForm>
                <p class="muted small">
                    <a href=login>"Back to sign in"</a>
                </p>
            </div>
        </main>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let c = use_academy();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let slug = c.academy.slug.clone();
    let link = Resource::new(token, move |token| load_reset_link(slug.clone(), token));
    let academy_name = c.academy.name.clone();
    let forgot = format!("/a/{}/forgot", c.academy.slug);
    let slug = c.academy.slug.clone();
    view! {
        <Title text="Choose a new password" />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">{academy_name}</p>
                <h1>"Choose a new password"</h1>
                <Transition fallback=|| {
                    view! { <p class="loading">"Checking the link…"</p> }
                }>
                    {move || {
                        let (slug, forgot) = (slug.clone(), forgot.clone());
                        link.get()
                            .map(|r| match r {
                                Ok(info) => {
                                    view! { <ResetForm slug token=token() email=info.email /> }
                                        .into_any()
                                }
                                Err(e) => {
                                    view! {
                                        <div
                                            class="alert alert-error"
                                            role="alert"
                                            data-testid="reset-problem"
                                        >
                                            {e.to_string()}
                                        </div>
                                        <a class="button button-primary" href=forgot>
                                            "Ask for a new link"
                                        </a>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
            </div>
        </main>
    }
}

#[component]
fn ResetForm(slug: String, token: String, email: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    follow(value);
    view! {
        <p class="muted">"Choosing a new password signs you out on every other device."</p>
        <FormAlert message=form_error(value) />
        {move || {
            field_error(value, "token")
                .get()
                .map(|m| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {m}
                        </div>
                    }
                })
        }}
        <ActionForm action=action>
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="token" value=token />
            <div class="field">
                <label for="reset-email">"Email"</label>
                <input
                    id="reset-email"
                    type="email"
                    name="username"
                    autocomplete="username"
                    value=email
                    readonly
                />
            </div>
            <Field
                label="New password"
                name="password"
                kind="password"
                autocomplete="new-password"
                required=true
                autofocus=true
                hint="At least 8 characters. Any characters you like; very common passwords are refused."
                error=field_error(value, "password")
            />
            <button
                type="submit"
                class="button button-primary button-block"
                disabled=move || action.pending().get()
            >
                {move || if action.pending().get() { "Saving…" } else { "Set the new password" }}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let c = use_academy();
    let Some(user) = c.viewer.user().cloned() else {
        return view! { <Redirect path=c.academy.login_path() /> }.into_any();
    };
    let changed = use_query_map().read_untracked().get("changed").is_some();
    let change = ServerAction::<ChangePassword>::new();
    let value = change.value();
    follow(value);
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    follow(everywhere.value());
    let slug = c.academy.slug.clone();
    let slug_everywhere = slug.clone();
    view! {
        <Title text="Your account" />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">{c.academy.name.clone()}</p>
                <h1>"Your account"</h1>
                <p>
                    <strong>{user.display_name()}</strong>
                    <br />
                    <span class="muted">{user.email.clone()}</span>
                </p>
                {changed
                    .then(|| {
                        view! {
                            <div
                                class="alert alert-success"
                                role="status"
                                data-testid="password-changed"
                            >
                                "Your password was changed. You stay signed in here; every other device was signed out."
                            </div>
                        }
                    })}
                <section aria-labelledby="change-title">
                    <h2 id="change-title">"Change password"</h2>
                    <FormAlert message=form_error(value) />
                    <ActionForm action=change>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input
                            type="email"
                            name="username"
                            autocomplete="username"
                            value=user.email.clone()
                            hidden
                            readonly
                        />
                        <Field
                            label="Current password"
                            name="current_password"
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error=field_error(value, "current_password")
                        />
                        <Field
                            label="New password"
                            name="password"
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            hint="At least 8 characters. Every other device is signed out."
                            error=field_error(value, "password")
                        />
                        <button
                            type="submit"
                            class="button button-primary"
                            disabled=move || change.pending().get()
                        >
                            {move || {
                                if change.pending().get() { "Saving…" } else { "Change password" }
                            }}
                        </button>
                    </ActionForm>
                </section>
                <section aria-labelledby="everywhere-title">
                    <h2 id="everywhere-title">"Sign out everywhere"</h2>
                    <p class="muted small">
                        "Lost a phone, or signed in on a shared computer? This ends every session of your account, this one too."
                    </p>
                    <ActionForm action=everywhere>
                        <input type="hidden" name="slug" value=slug_everywhere />
                        <button
                            type="submit"
                            class="button button-secondary"
                            data-testid="sign-out-everywhere"
                            disabled=move || everywhere.pending().get()
                        >
                            "Sign out everywhere"
                        </button>
                    </ActionForm>
                </section>
                <p class="muted small">
                    <a href=c.landing_path()>"Back"</a>
                </p>
            </div>
        </main>
    }
    .into_any()
}
