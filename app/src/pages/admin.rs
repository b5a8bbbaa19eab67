//! `/a/:slug/admin/*`: the staff shell and its sections (empty states until their features land).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet, Redirect};

use crate::{
    components::{nav::use_academy, topbar::Topbar},
    model::AcademyContext,
};

/// Only Owners and Administrators get past this; others go to sign in or to their learner home.
#[component]
pub fn AdminShell() -> impl IntoView {
    let ctx = use_academy();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match ctx.await {
                    Ok(c) => match c.viewer.user().cloned() {
                        Some(u) if u.role.is_staff() => view! { <Shell ctx=c.clone() user=u/> }.into_any(),
                        Some(_) => view! { <Redirect path=c.academy.home_path()/> }.into_any(),
                        None => view! { <Redirect path=c.sign_in_again_path()/> }.into_any(),
                    },
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(ctx: AcademyContext, user: crate::model::UserView) -> impl IntoView {
    let base = format!("/a/{}/admin", ctx.academy.slug);
    view! {
        <div class="shell">
            <Topbar
                academy_name=ctx.academy.name.clone()
                slug=ctx.academy.slug.clone()
                home=base.clone()
                user
                nav_label="Admin"
            >
                <A href=format!("{base}/learners")>"Learners & Teams"</A>
                <A href=format!("{base}/statistics")>"Statistics"</A>
                <A href=format!("{base}/settings")>"Settings"</A>
            </Topbar>
            <main class="content">
                <Outlet/>
            </main>
        </div>
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let ctx = use_academy();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                ctx.await.ok().map(|c| view! { <Redirect path=c.academy.admin_path()/> })
            })}
        </Suspense>
    }
}

#[component]
fn EmptySection(title: &'static str, lead: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="page-head">
            <h1>{title}</h1>
        </div>
        <section class="empty-state">
            <h2>{lead}</h2>
            {children()}
        </section>
    }
}

#[component]
pub fn LearnersPage() -> impl IntoView {
    view! {
        <EmptySection title="Manage Learners and Teams" lead="No learners yet">
            <p>"Here you will invite learners — one by one, from a CSV file, from a team or through the API — and follow each invitation's \"Email Status\" and \"Invitation Progress\" until they have joined."</p>
            <p class="muted">"Inviting arrives with the next release of Shoal."</p>
        </EmptySection>
    }
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    view! {
        <EmptySection title="Statistics" lead="Nothing to measure yet">
            <p>"Once learners are invited, this page shows the invitation funnel — invited, email sent, accepted — with acceptance rates and sign-ups per day."</p>
        </EmptySection>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let ctx = use_academy();
    view! {
        <EmptySection title="Settings" lead="Your academy">
            <Suspense>
                {move || Suspend::new(async move {
                    ctx.await.ok().map(|c| view! {
                        <dl class="facts">
                            <dt>"Name"</dt><dd>{c.academy.name.clone()}</dd>
                            <dt>"Academy link"</dt><dd><code>{c.academy.home_path()}</code></dd>
                            <dt>"Plan"</dt><dd>{c.academy.plan.label()}</dd>
                        </dl>
                    })
                })}
            </Suspense>
            <p class="muted">"Plan, visibility, API clients and notification settings will be managed here."</p>
        </EmptySection>
    }
}
