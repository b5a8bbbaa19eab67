//! `/a/:slug/join/:token`: the emailed invitation link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::join::{Join, load_join},
    components::field::{Field, FormAlert, field_error, form_error, go_to},
    error::AppError,
    format,
    model::JoinInfo,
    pages::not_found::{ErrorPanel, NotFound},
};

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("slug").unwrap_or_default(),
            p.get("token").unwrap_or_default(),
        )
    };
    let info = Resource::new(key, |(slug, token)| load_join(slug, token));
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(JoinInfo::Valid { academy, email, first_name, last_name, expires_at }) => {
                        let (slug, token) = key();
                        view! {
                            <JoinForm
                                academy_name=academy.name
                                slug
                                token
                                email
                                first_name
                                last_name
                                expires_at
                            />
                        }
                            .into_any()
                    }
                    Ok(JoinInfo::Invalid { academy, problem }) => {
                        view! {
                            <Title text=problem.headline() />
                            <main class="centered">
                                <div class="card card-narrow" data-testid="join-problem">
                                    <p class="brand-mark">{academy.name.clone()}</p>
                                    <h1>{problem.headline()}</h1>
                                    <p>{problem.explanation()}</p>
                                    <a class="button button-primary" href=academy.login_path()>
                                        "Go to the academy's sign-in page"
                                    </a>
                                </div>
                            </main>
                        }
                            .into_any()
                    }
                    Err(AppError::NotFound(m)) => view! { <NotFound message=m /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn JoinForm(
    academy_name: String,
    slug: String,
    token: String,
    email: String,
    first_name: String,
    last_name: String,
    expires_at: i64,
) -> impl IntoView {
    let action = ServerAction::<Join>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            go_to(&path);
        }
    });
    let title = format!("Join {academy_name}");
    view! {
        <Title text=title.clone() />
        <main class="centered">
            <div class="card card-form">
                <p class="brand-mark">{academy_name.clone()}</p>
                <h1>{title}</h1>
                <p class="muted">
                    {format!(
                        "Choose a password to finish joining. Your invitation works until {}.",
                        format::date(expires_at),
                    )}
                </p>
                <FormAlert message=form_error(value) />
                <ActionForm action=action>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="token" value=token />
                    <div class="field">
                        <label for="join-email">"Email"</label>
                        <input
                            id="join-email"
                            type="email"
                            value=email
                            readonly
                            aria-describedby="join-email-hint"
                        />
                        <p class="hint" id="join-email-hint">
                            "You were invited with this address; it is your login."
                        </p>
                    </div>
                    <Field
                        label="First name"
                        name="first_name"
                        autocomplete="given-name"
                        required=true
                        value=RwSignal::new(first_name)
                        error=field_error(value, "first_name")
                    />
                    <Field
                        label="Last name"
                        name="last_name"
                        autocomplete="family-name"
                        value=RwSignal::new(last_name)
                        error=field_error(value, "last_name")
                    />
                    <Field
                        label="Password"
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
                        {move || {
                            if action.pending().get() { "Joining…" } else { "Join the academy" }
                        }}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}
