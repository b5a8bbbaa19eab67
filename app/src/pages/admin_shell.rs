//! `/a/:slug/admin/*`: the shell around the admin sections. Owners and Administrators see every
//! section; Learner-Admins the learners; Learner-Analysts only Statistics. Everyone else is sent to
//! sign in or to the learner home. (The server checks every function again; this only guides.)

use leptos::prelude::*;
use leptos_router::{
    components::{A, Outlet, Redirect},
    hooks::use_location,
};

use crate::{
    api::accounts::ViewAsLearner,
    components::{field::go_to, nav::use_academy, topbar::Topbar},
    domain::{Permission, role::Role},
    model::{AcademyContext, UserView},
};

#[component]
pub fn AdminShell() -> impl IntoView {
    let c = use_academy();
    match c.viewer.user().cloned() {
        Some(u) if u.role.can(Permission::ViewStatistics) => {
            view! { <Shell ctx=c.clone() user=u /> }.into_any()
        }
        // A learner's own home, saying why (the admin pages start with managing learners).
        Some(_) => view! {
            <Redirect path=format!(
                "{}?denied={}",
                c.academy.home_path(),
                Permission::ManageLearners.key(),
            ) />
        }
        .into_any(),
        None => view! { <Redirect path=c.sign_in_again_path() /> }.into_any(),
    }
}

#[component]
fn Shell(ctx: AcademyContext, user: UserView) -> impl IntoView {
    let base = format!("/a/{}/admin", ctx.academy.slug);
    let role = user.role;
    // "Learners & Teams" is one section over two routes (learners and teams), so it marks itself.
    let location = use_location();
    let in_people = Signal::derive(move || {
        let path = location.pathname.get();
        (path.contains("/admin/learners") || path.contains("/admin/teams")).then_some("page")
    });
    view! {
        <div class="shell">
            <Topbar
                academy_name=ctx.academy.name.clone()
                slug=ctx.academy.slug.clone()
                home=base.clone()
                user
                nav_label="Admin"
            >
                <SectionLinks ctx=ctx.clone() role in_people />
            </Topbar>
            <main class="content">
                <DeniedNotice />
                <Outlet />
            </main>
        </div>
    }
}

/// The section links of the top bar, the same on every page a role sees (admin pages and the
/// learner home alike): Learners & Teams, Courses, Statistics, Settings, Audit log, then "View as
/// Learner" for staff or "My learning" for everyone else. `in_people`: "page" while a Learners &
/// Teams page is open (one section over two routes).
#[component]
pub fn SectionLinks(
    ctx: AcademyContext,
    role: Role,
    #[prop(into)] in_people: Signal<Option<&'static str>>,
    /// The learner home is open.
    #[prop(optional)]
    at_home: bool,
) -> impl IntoView {
    let base = format!("/a/{}/admin", ctx.academy.slug);
    view! {
        {role
            .can(Permission::ManageLearners)
            .then(|| {
                view! {
                    <a href=format!("{base}/learners") aria-current=in_people>
                        "Learners & Teams"
                    </a>
                }
            })}
        {role
            .can(Permission::ManageCourses)
            .then(|| view! { <A href=format!("{base}/courses")>"Courses"</A> })}
        {role
            .can(Permission::ViewStatistics)
            .then(|| view! { <A href=format!("{base}/statistics")>"Statistics"</A> })}
        {role
            .can(Permission::ManageSettings)
            .then(|| view! { <A href=format!("{base}/settings")>"Settings"</A> })}
        {role
            .can(Permission::ViewAuditLog)
            .then(|| view! { <A href=format!("{base}/audit")>"Audit log"</A> })}
        {role.can(Permission::ManageSettings).then(|| view! { <ViewAsLearnerButton /> })}
        {(!role.is_staff())
            .then(|| {
                view! {
                    <a href=ctx.academy.home_path() aria-current=at_home.then_some("page")>
                        "My learning"
                    </a>
                }
            })}
    }
}

/// "View as Learner": the academy link then shows this admin the learner home.
#[component]
fn ViewAsLearnerButton() -> impl IntoView {
    let action = ServerAction::<ViewAsLearner>::new();
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            go_to(&path);
        }
    });
    view! {
        <button
            type="button"
            class="topnav-button"
            data-testid="view-as-learner"
            on:click=move |_| {
                action.dispatch(ViewAsLearner { on: true });
            }
        >
            "View as Learner"
        </button>
    }
}

/// A page for the roles that hold `needs` (the permission matrix): others are sent to the first
/// section they have. The server functions behind the page check the same permission again.
#[component]
pub fn RequirePermission(needs: Permission, children: Children) -> impl IntoView {
    let c = use_academy();
    match c.viewer.user() {
        Some(u) if u.role.can(needs) => children().into_any(),
        // Signed-in people are told why they landed elsewhere (`DeniedNotice`).
        Some(_) => {
            view! { <Redirect path=format!("{}?denied={}", c.landing_path(), needs.key()) /> }
                .into_any()
        }
        None => view! { <Redirect path=c.landing_path() /> }.into_any(),
    }
}

/// "Your role does not include managing courses." over the page someone was sent to instead of
/// the one they asked for (`?denied=`).
#[component]
pub fn DeniedNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query
            .read()
            .get("denied")
            .and_then(|k| Permission::from_key(&k))
            .map(|p| {
                view! {
                    <p class="alert alert-info" role="status" data-testid="denied-notice">
                        {format!(
                            "That page is not open to you: {} You are here instead.",
                            p.refusal(),
                        )}
                    </p>
                }
            })
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    view! { <Redirect path=use_academy().landing_path() /> }
}

/// Settings are for Owners and Administrators only.
#[component]
pub fn SettingsRoute() -> impl IntoView {
    view! {
        <RequirePermission needs=Permission::ManageSettings>
            <crate::pages::settings::SettingsPage />
        </RequirePermission>
    }
}
