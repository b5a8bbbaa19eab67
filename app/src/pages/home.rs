//! `/a/:slug`, the academy link: the learner home, or the way in for visitors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::{
    components::{nav::use_academy, topbar::Topbar},
    model::{AcademyContext, UserView},
};

#[component]
pub fn AcademyHome() -> impl IntoView {
    let ctx = use_academy();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match ctx.await {
                    Ok(c) => match c.viewer.user().cloned() {
                        Some(u) if u.role.is_staff() => view! { <Redirect path=c.academy.admin_path()/> }.into_any(),
                        Some(u) => view! { <LearnerHome ctx=c.clone() user=u/> }.into_any(),
                        None => view! { <Welcome ctx=c.clone()/> }.into_any(),
                    },
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
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
                <p class="muted small">"New here? Open the invitation link from your email, or ask your administrator for an invitation."</p>
            </div>
        </main>
    }
}

#[component]
fn LearnerHome(ctx: AcademyContext, user: UserView) -> impl IntoView {
    view! {
        <Title text=ctx.academy.name.clone()/>
        <div class="shell">
            <Topbar
                academy_name=ctx.academy.name.clone()
                slug=ctx.academy.slug.clone()
                home=ctx.academy.home_path()
                user=user.clone()
                nav_label="Main"
            >
                ""
            </Topbar>
            <main class="content">
                <h1>{format!("Welcome, {}", user.first_name)}</h1>
                <section class="empty-state">
                    <h2>"No courses yet"</h2>
                    <p>"When your academy publishes courses for you or your teams, they appear here."</p>
                </section>
            </main>
        </div>
    }
}
