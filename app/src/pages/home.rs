//! `/a/:slug`, the academy link: the learner home, or the way in for visitors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_navigate, use_query_map},
};

use crate::{
    api::accounts::{ViewAsLearner, my_teams},
    components::{
        field::{Field, FormAlert, field_error, form_error, go_to},
        nav::use_academy,
        team_badge::TeamBadges,
        topbar::Topbar,
    },
    model::{AcademyContext, SignUpOutcome, UserView},
    pages::admin_shell::{DeniedNotice, SectionLinks},
};

/// The academy link: staff go to their admin pages, a learner sees the learner home, a visitor
/// the way in.
#[component]
pub fn AcademyHome() -> impl IntoView {
    academy_home(|ctx, user| view! { <LearnerHome ctx user /> }.into_any())
}

/// The academy link in the visitor bundle, which lacks the learner home: the server sends that
/// bundle only to a visitor without a session, so the page it hydrates is the way in. Signed in
/// later without a page load, the learner home comes from the server.
#[component]
pub fn VisitorHome() -> impl IntoView {
    academy_home(|_, _| view! { <crate::routes::OtherBundle /> }.into_any())
}

fn academy_home(learner_home: impl FnOnce(AcademyContext, UserView) -> AnyView) -> AnyView {
    let c = use_academy();
    match c.viewer.user().cloned() {
        Some(u) if u.role.is_staff() && !c.viewing_as_learner => {
            view! { <Redirect path=c.academy.admin_path() /> }.into_any()
        }
        Some(u) => learner_home(c.clone(), u),
        None => view! { <Welcome ctx=c.clone() /> }.into_any(),
    }
}

#[component]
fn Welcome(ctx: AcademyContext) -> impl IntoView {
    view! {
        <Title text=ctx.academy.name.clone() />
        <main class="centered">
            <div class="card card-narrow">
                <p class="brand-mark">"Academy"</p>
                <h1>{ctx.academy.name.clone()}</h1>
                <p>"Welcome. Sign in to continue your training."</p>
                <a class="button button-primary" href=ctx.academy.login_path()>
                    "Sign in"
                </a>
                <SignUp
                    slug=ctx.academy.slug.clone()
                    private=ctx.academy.visibility
                        == crate::domain::access_request::Visibility::Private
                />
            </div>
        </main>
    }
}

/// "Sign up" for people who were invited (or anyone, in a public academy), and its steps, each a
/// plain form whose step lives in the URL — so they work before the WASM arrives, survive a
/// reload, and the Back button walks them: `?confirm=<email>` (the emailed code),
/// `?request` and `?request=sent` (a private academy's "Request access").
#[component]
fn SignUp(slug: String, private: bool) -> impl IntoView {
    let query = use_query_map();
    let step = move || {
        let q = query.read();
        if private && let Some(r) = q.get("request") {
            if r == "sent" {
                Step::RequestSent
            } else {
                Step::Request
            }
        } else if let Some(email) = q.get("confirm").filter(|e| !e.is_empty()) {
            Step::Code(email)
        } else {
            Step::SignUp
        }
    };
    // What was typed into "Sign up" goes along to "Request access" (with JavaScript).
    let typed = crate::pages::request_access::Typed::default();
    view! {
        {move || match step() {
            Step::SignUp => view! { <SignUpForm slug=slug.clone() private typed /> }.into_any(),
            Step::Code(email) => view! { <CodeForm slug=slug.clone() email /> }.into_any(),
            Step::Request => {
                view! { <crate::pages::request_access::RequestForm slug=slug.clone() typed /> }
                    .into_any()
            }
            Step::RequestSent => {
                view! { <crate::pages::request_access::RequestSentNote slug=slug.clone() /> }
                    .into_any()
            }
        }}
    }
}

#[derive(Clone, PartialEq)]
enum Step {
    SignUp,
    Code(String),
    Request,
    RequestSent,
}

#[component]
fn SignUpForm(
    slug: String,
    private: bool,
    typed: crate::pages::request_access::Typed,
) -> impl IntoView {
    let action = ServerAction::<crate::api::join::SignUp>::new();
    let value = action.value();
    let invite_only = crate::pages::request_access::refused_as_invite_only(value);
    let navigate = use_navigate();
    let code_path = {
        let slug = slug.clone();
        move |email: &str| crate::model::confirm_code_path(&slug, email)
    };
    let offer_slug = slug.clone();
    Effect::new(move |_| match value.get() {
        Some(Ok(SignUpOutcome::Done(path))) => go_to(&path),
        Some(Ok(SignUpOutcome::ConfirmCode { email })) => {
            navigate(&code_path(&email), Default::default())
        }
        _ => {}
    });
    view! {
        <section class="sign-up" aria-labelledby="sign-up-title">
            <h2 id="sign-up-title">"New here? Sign up"</h2>
            <p class="muted small">
                {if private {
                    "Use the email address you were invited with and choose any password."
                } else {
                    "Sign up with your email address and choose any password."
                }}
            </p>
            <FormAlert message=form_error(value) />
            <ActionForm action=action>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    error=field_error(value, "email")
                    value=typed.email
                />
                <Field
                    label="First name"
                    name="first_name"
                    autocomplete="given-name"
                    error=field_error(value, "first_name")
                    value=typed.first_name
                    hint="Invited? Leave the names empty to keep the ones your admin entered."
                />
                <Field
                    label="Last name"
                    name="last_name"
                    autocomplete="family-name"
                    error=field_error(value, "last_name")
                    value=typed.last_name
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint="At least 8 characters."
                    error=field_error(value, "password")
                />
                <button
                    type="submit"
                    class="button button-secondary button-block"
                    disabled=move || action.pending().get()
                >
                    {move || if action.pending().get() { "Signing up…" } else { "Sign up" }}
                </button>
            </ActionForm>
        </section>
        {private
            .then(move || {
                view! {
                    <crate::pages::request_access::RequestOffer slug=offer_slug offer=invite_only />
                }
            })}
    }
}

/// "We sent a 6-digit code to …": the second step of a sign-up that must prove the address.
#[component]
fn CodeForm(slug: String, email: String) -> impl IntoView {
    let confirm = ServerAction::<crate::api::join::ConfirmSignUp>::new();
    let value = confirm.value();
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            go_to(&path);
        }
    });
    let back = format!("/a/{slug}");
    view! {
        <section class="sign-up" aria-labelledby="code-title" data-testid="code-step">
            <h2 id="code-title">"Check your email"</h2>
            <div class="alert alert-info" role="status">
                {format!("We sent a 6-digit code to {email}. Enter it to finish signing up.")}
            </div>
            <FormAlert message=form_error(value) />
            <ActionForm action=confirm>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="email" value=email />
                <Field
                    label="Confirmation code"
                    name="code"
                    autocomplete="one-time-code"
                    required=true
                    autofocus=true
                    error=field_error(value, "code")
                />
                <button
                    type="submit"
                    class="button button-primary button-block"
                    disabled=move || confirm.pending().get()
                >
                    "Confirm and sign in"
                </button>
            </ActionForm>
            <p class="muted small">
                "No email? Check the spam folder, or "<a href=back>"sign up again"</a>
                " for a new code."
            </p>
        </section>
    }
}

#[component]
fn LearnerHome(ctx: AcademyContext, user: UserView) -> impl IntoView {
    let teams = Resource::new(|| (), |_| my_teams());
    let role = user.role;
    let links = if role.is_staff() {
        // Staff viewing as a learner see the learner's bar.
        view! {
            <a href=ctx.academy.home_path() aria-current="page">
                "My learning"
            </a>
        }
        .into_any()
    } else {
        view! { <SectionLinks ctx=ctx.clone() role in_people=Signal::stored(None) at_home=true /> }
            .into_any()
    };
    view! {
        <Title text=ctx.academy.name.clone() />
        <div class="shell">
            {ctx.viewing_as_learner.then(|| view! { <ViewingAsLearnerBanner /> })}
            <Topbar
                academy_name=ctx.academy.name.clone()
                slug=ctx.academy.slug.clone()
                home=ctx.academy.home_path()
                user=user.clone()
                nav_label="Main"
            >
                {links}
            </Topbar> <main class="content">
                <DeniedNotice />
                <h1>{format!("Welcome, {}", user.first_name)}</h1>
                <Transition fallback=|| ()>
                    {move || {
                        teams
                            .get()
                            .and_then(|t| t.ok())
                            .filter(|t| !t.is_empty())
                            .map(|t| {
                                view! {
                                    <p class="my-teams">"Your teams: " <TeamBadges teams=t /></p>
                                }
                            })
                    }}
                </Transition>
                <crate::pages::courses::MyCourses staff_preview=ctx.viewing_as_learner />
            </main>
        </div>
    }
}

/// Shown to staff who switched "View as Learner" on: what this is, the academy link to share, a way back.
#[component]
fn ViewingAsLearnerBanner() -> impl IntoView {
    let exit = ServerAction::<ViewAsLearner>::new();
    let copied = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(path)) = exit.value().get() {
            go_to(&path);
        }
    });
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let href = w.location().href().unwrap_or_default();
            let _ = w.navigator().clipboard().write_text(&href);
            copied.set(true);
        }
    };
    view! {
        <div class="view-as-banner" role="status" data-testid="view-as-learner-banner">
            <span>
                <strong>"You are viewing as a learner."</strong>
                " The address bar holds your academy link: share it with learners who were invited without an email."
            </span>
            <button type="button" class="button button-small" on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy academy link" }}
            </button>
            <button
                type="button"
                class="button button-small"
                on:click=move |_| {
                    exit.dispatch(ViewAsLearner { on: false });
                }
            >
                "Exit learner view"
            </button>
        </div>
    }
}
