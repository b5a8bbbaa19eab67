//! "Manage Learners and Teams": the All Learners and Invites tabs and the "Invite Learners" dialog.

mod invite_dialog;
mod invites_tab;
mod learners_tab;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::nav::use_academy;
pub use invite_dialog::InviteDialog;
use invites_tab::InvitesTab;
use learners_tab::LearnersTab;

/// The page itself is rendered on the server; both lists load in the browser after hydration (see
/// `components::fetch` for why).
#[component]
pub fn LearnersPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequireRole allowed=|r| r.can_administer()>
            <Learners/>
        </crate::pages::admin_shell::RequireRole>
    }
}

#[component]
fn Learners() -> impl IntoView {
    let ctx = use_academy();
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let dialog_open = RwSignal::new(false);
    // Bumped after invitations are sent, so both tabs reload.
    let version = RwSignal::new(0u32);
    let navigate = use_navigate();
    let base_path = format!("/a/{}/admin/learners", ctx.academy.slug);
    let base = move || base_path.clone();
    let go = move |t: &'static str| {
        let path = if t == "invites" {
            format!("{}?tab=invites", base())
        } else {
            base()
        };
        navigate(&path, Default::default());
    };
    let go2 = go.clone();
    view! {
        <Title text="Manage Learners and Teams"/>
        <div class="page-head">
            <h1>"Manage Learners and Teams"</h1>
            <button type="button" class="button button-primary" on:click=move |_| dialog_open.set(true)>
                "Invite Learners"
            </button>
        </div>
        <div class="tabs" role="tablist" aria-label="Learners">
            <button type="button" role="tab" class="tab" aria-selected=move || (tab() != "invites").to_string()
                on:click=move |_| go("learners")>"All Learners"</button>
            <button type="button" role="tab" class="tab" aria-selected=move || (tab() == "invites").to_string()
                on:click=move |_| go2("invites")>"Invites"</button>
        </div>
        <div role="tabpanel">
            {move || if tab() == "invites" {
                view! { <InvitesTab version/> }.into_any()
            } else {
                view! { <LearnersTab version/> }.into_any()
            }}
        </div>
        <Show when=move || dialog_open.get()>
            <InviteDialog on_close=Callback::new(move |_| dialog_open.set(false)) on_sent=Callback::new(move |_| version.update(|v| *v += 1))/>
        </Show>
    }
}

/// Search box + pager shared by both tabs.
#[component]
pub(crate) fn ListControls(
    search: RwSignal<String>,
    page: RwSignal<u32>,
    #[prop(into)] pages: Signal<u32>,
    #[prop(into)] total: Signal<i64>,
    placeholder: &'static str,
    /// Extra controls (a filter); an empty text child would break hydration, so this is optional.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="list-controls">
            <input type="search" class="search" placeholder=placeholder aria-label=placeholder
                prop:value=move || search.get()
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
            {children.map(|c| c())}
            <span class="muted small list-total">{move || format!("{} in all", total.get())}</span>
        </div>
        <Pager page pages/>
    }
}

#[component]
pub(crate) fn Pager(page: RwSignal<u32>, #[prop(into)] pages: Signal<u32>) -> impl IntoView {
    view! {
        <Show when=move || { pages.get() > 1 }>
            <nav class="pager" aria-label="Pages">
                <button type="button" class="button" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p -= 1)>"Previous"</button>
                <span class="muted">{move || format!("Page {} of {}", page.get(), pages.get())}</span>
                <button type="button" class="button" disabled=move || page.get() >= pages.get() on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </nav>
        </Show>
    }
}
