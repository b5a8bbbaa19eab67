//! The dark bar on top of every signed-in page: academy name, the section links, the user menu.

use leptos::prelude::*;

use crate::{components::user_menu::UserMenu, model::UserView};

#[component]
pub fn Topbar(
    academy_name: String,
    slug: String,
    /// Where the academy name leads.
    home: String,
    user: UserView,
    /// Accessible name of the section links.
    nav_label: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href=home data-testid="academy-name">
                {academy_name}
            </a>
            <nav class="topnav" aria-label=nav_label>
                {children()}
            </nav>
            <UserMenu user slug />
        </header>
    }
}
