//! Reading the academy of the current route, shared by every page under `/a/:slug`.
//!
//! `AcademyLayout` awaits the academy and its viewer once, inside one `Suspense`, and hands the
//! loaded value to everything below it through [`AcademyScope`]. Pages then read it synchronously:
//! no page awaits the same resource again in a nested `Suspense` (which deadlocked SSR and broke
//! hydration on the admin pages).

use leptos::prelude::*;

use crate::model::AcademyContext;

/// Provides the loaded academy to its children (routes rendered by an `<Outlet/>` inside see it too).
#[component]
pub fn AcademyScope(ctx: AcademyContext, children: Children) -> impl IntoView {
    provide_context(ctx);
    children()
}

/// The academy and viewer of the current page.
pub fn use_academy() -> AcademyContext {
    expect_context::<AcademyContext>()
}
