//! `/a/:slug`, the academy link: the learner home, or the way in for visitors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    api::accounts::{ViewAsLearner, my_teams},
    components::{
        field::{Field, FormAlert, field_error, form_error, go_to},
        nav::use_academy,
        team_badge::TeamBadges,
        topbar::Topbar,
    },
    model::{AcademyContext, SignUpOutcome, UserView},
};

#[component]
pub fn AcademyHome() -> impl IntoView {
    let c = use_academy();
    match c.viewer.user().cloned() {
        Some(u) if u.role.is_staff() && !c.viewing_as_learner => {
            view! { <Redirect path=c.academy.admin_path()/> }.into_any()
        }
        Some(u) => view! { <LearnerHome ctx=c.clone() user=u/> }.into_any(),
        None => view! { <Welcome ctx=c.clone()/> }.into_any(),
    }
}

#[component]
fn Welcome(ctx: AcademyContext) -> impl IntoView {
    view! {
        <Title text=ctx.academy.name.clone()/>
        <main class="centered">
            <div class="card card-narrow">
                <p class="brand-mark">"Academy"</p>
                <h1>{ctx.academy.name.clone()}</h1>
                <p>"Welcome. Sign in to continue your training."</p>
                <a class="button button-primary" href=ctx.academy.login_path()>"Sign in"</a>
                <SignUp slug=ctx.academy.slug.clone() private=ctx.academy.visibility == crate::domain::access_request::Visibility::Private/>
            </div>
        </main>
    }
}

/// "Sign up" for people who were invited (or anyone, in a public academy); with email confirmation
/// on, a second step asks for the emailed code.
#[component]
fn SignUp(slug: String, private: bool) -> impl IntoView {
    let action = ServerAction::<crate::api::join::SignUp>::new();
    let confirm = ServerAction::<crate::api::join::ConfirmSignUp>::new();
    let value = action.value();
    // A private academy offers "Request access", starting from what was typed here.
    let typed = crate::pages::request_access::Typed::default();
    let requesting = RwSignal::new(false);
    let invite_only = crate::pages::request_access::refused_as_invite_only(value);
    let slug3 = slug.clone();
    let confirm_value = confirm.value();
    Effect::new(move |_| {
        if let Some(Ok(SignUpOutcome::Done(path))) = value.get() {
            go_to(&path);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(path)) = confirm_value.get() {
            go_to(&path);
        }
    });
    let code_sent_to = move || match value.get() {
        Some(Ok(SignUpOutcome::ConfirmCode { email })) => Some(email),
        _ => None,
    };
    let slug2 = slug.clone();
    view! {
        <section class="sign-up" aria-labelledby="sign-up-title" hidden=move || requesting.get()>
            <h2 id="sign-up-title">"New here? Sign up"</h2>
            {move || match code_sent_to() {
                Some(email) => {
                    let slug = slug2.clone();
                    view! {
                    <div class="alert alert-info" role="status">{format!("We sent a 6-digit code to {email}. Enter it to finish signing up.", email = email.clone())}</div>
                    <FormAlert message=form_error(confirm_value)/>
                    <ActionForm action=confirm>
                        <input type="hidden" name="slug" value=slug/>
                        <input type="hidden" name="email" value=email.clone()/>
                        <Field label="Confirmation code" name="code" autocomplete="one-time-code" required=true autofocus=true
                            error=field_error(confirm_value, "code")/>
                        <button type="submit" class="button button-primary button-block" disabled=move || confirm.pending().get()>
                            "Confirm and sign in"
                        </button>
                    </ActionForm>
                }.into_any()
                }
                None => {
                    let slug = slug.clone();
                    view! {
                    <p class="muted small">{if private { "Use the email address you were invited with and choose any password." } else { "Sign up with your email address and choose any password." }}</p>
                    <FormAlert message=form_error(value)/>
                    <ActionForm action=action>
                        <input type="hidden" name="slug" value=slug/>
                        <Field label="Email" name="email" kind="email" autocomplete="email" required=true error=field_error(value, "email") value=typed.email/>
                        <Field label="First name" name="first_name" autocomplete="given-name" required=true error=field_error(value, "first_name") value=typed.first_name/>
                        <Field label="Last name" name="last_name" autocomplete="family-name" error=field_error(value, "last_name") value=typed.last_name/>
                        <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true
                            hint="At least 8 characters." error=field_error(value, "password")/>
                        <button type="submit" class="button button-secondary button-block" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "Signing up…" } else { "Sign up" }}
                        </button>
                    </ActionForm>
                }.into_any()
                }
            }}
        </section>
        {private.then(|| view! { <crate::pages::request_access::RequestAccess slug=slug3 typed open=requesting offer=invite_only/> })}
    }
}

#[component]
fn LearnerHome(ctx: AcademyContext, user: UserView) -> impl IntoView {
    let teams = Resource::new(|| (), |_| my_teams());
    let role = user.role;
    let admin = format!("/a/{}/admin", ctx.academy.slug);
    view! {
        <Title text=ctx.academy.name.clone()/>
        <div class="shell">
            {ctx.viewing_as_learner.then(|| view! { <ViewingAsLearnerBanner/> })}
            <Topbar
                academy_name=ctx.academy.name.clone()
                slug=ctx.academy.slug.clone()
                home=ctx.academy.home_path()
                user=user.clone()
                nav_label="Main"
            >
                <a href=ctx.academy.home_path() aria-current="page">"My learning"</a>
                {(role.can(crate::domain::Permission::ViewStatistics) && !role.is_staff()).then(|| view! { <a href=format!("{admin}/statistics")>"Statistics"</a> })}
                {(role.can(crate::domain::Permission::ManageLearners) && !role.is_staff()).then(|| view! { <a href=format!("{admin}/learners")>"Admin"</a> })}
            </Topbar>
            <main class="content">
                <h1>{format!("Welcome, {}", user.first_name)}</h1>
                <Transition fallback=|| ()>
                {move || teams.get().and_then(|t| t.ok()).filter(|t| !t.is_empty()).map(|t| view! {
                    <p class="my-teams">"Your teams: "
                        <TeamBadges teams=t/>
                    </p>
                })}
                </Transition>
                <crate::pages::courses::MyCourses staff_preview=ctx.viewing_as_learner/>
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
            <span><strong>"You are viewing as a learner."</strong>" The address bar holds your academy link: share it with learners who were invited without an email."</span>
            <button type="button" class="button button-small" on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy academy link" }}
            </button>
            <button type="button" class="button button-small" on:click=move |_| { exit.dispatch(ViewAsLearner { on: false }); }>
                "Exit learner view"
            </button>
        </div>
    }
}
