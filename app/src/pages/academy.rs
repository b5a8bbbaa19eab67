//! `/a/:slug`: loads the academy and its viewer once for every page below it; unknown slugs get a 404.

use leptos::prelude::*;
use leptos_router::{components::Outlet, hooks::use_params_map};

use crate::{
    api::accounts::load_academy,
    components::nav::AcademyScope,
    error::AppError,
    pages::not_found::{ErrorPanel, NotFound},
};

#[component]
pub fn AcademyLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let ctx = Resource::new(slug, load_academy);
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match ctx.await {
                    Ok(c) => {
                        view! {
                            <AcademyScope ctx=c>
                                <Outlet />
                            </AcademyScope>
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
