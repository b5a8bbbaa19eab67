//! "Manage Learners and Teams": the All Learners and Invites tabs and the "Invite Learners" dialog.

mod access_requests_tab;
pub(crate) mod bulk_bar;
mod bulk_progress;
mod csv_upload;
mod invite_dialog;
mod invite_options;
mod invites_tab;
mod learner_page;
mod learners_tab;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::nav::use_academy;
pub use invite_dialog::InviteDialog;
pub use invites_tab::InvitesTab;
pub use learner_page::LearnerPage;
use learners_tab::LearnersTab;

/// The open tab's first page arrives in the server-rendered HTML (see `pages`).
#[component]
pub fn LearnersPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=crate::domain::Permission::ManageLearners>
            <Learners />
        </crate::pages::admin_shell::RequirePermission>
    }
}

#[component]
fn Learners() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let dialog_open = RwSignal::new(false);
    // Bumped after invitations are sent, so both tabs reload.
    let version = RwSignal::new(0u32);
    view! {
        <Title text="Manage Learners and Teams" />
        <div class="page-head">
            <h1>"Manage Learners and Teams"</h1>
            <button
                type="button"
                class="button button-primary"
                on:click=move |_| dialog_open.set(true)
            >
                "Invite Learners"
            </button>
        </div>
        <SectionTabs current=Signal::derive(move || match tab().as_str() {
            "invites" => Section::Invites,
            "requests" => Section::Requests,
            _ => Section::Learners,
        }) />
        <div role="tabpanel">
            {move || match tab().as_str() {
                "invites" => view! { <InvitesTab version /> }.into_any(),
                "requests" => view! { <access_requests_tab::AccessRequestsTab /> }.into_any(),
                _ => view! { <LearnersTab version /> }.into_any(),
            }}
        </div>
        <Show when=move || dialog_open.get()>
            <InviteDialog
                on_close=Callback::new(move |_| dialog_open.set(false))
                on_sent=Callback::new(move |_| version.update(|v| *v += 1))
            />
        </Show>
    }
}

/// The three parts of "Manage Learners and Teams".
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Learners,
    Invites,
    Requests,
    Teams,
}

/// "All Learners" · "Invites" · "Teams": the tab strip of the learners and teams pages.
#[component]
pub fn SectionTabs(#[prop(into)] current: Signal<Section>) -> impl IntoView {
    let slug = use_academy().academy.slug;
    let navigate = use_navigate();
    let go = move |s: Section| {
        let path = match s {
            Section::Learners => format!("/a/{slug}/admin/learners"),
            Section::Invites => format!("/a/{slug}/admin/learners?tab=invites"),
            Section::Requests => format!("/a/{slug}/admin/learners?tab=requests"),
            Section::Teams => format!("/a/{slug}/admin/teams"),
        };
        navigate(&path, Default::default());
    };
    let tab = move |s: Section, label: &'static str| {
        let go = go.clone();
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || (current.get() == s).to_string()
                on:click=move |_| go(s)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Learners and teams">
            {tab(Section::Learners, "All Learners")}
            {tab(Section::Invites, "Invites")}
            {tab(Section::Requests, "Access Requests")}
            {tab(Section::Teams, "Teams")}
        </div>
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
            <input
                type="search"
                class="search"
                placeholder=placeholder
                aria-label=placeholder
                maxlength=crate::domain::search::SEARCH_MAX_CHARS
                prop:value=move || search.get()
                on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    page.set(1);
                }
            />
            {children.map(|c| c())}
            <span class="muted small list-total">{move || format!("{} in all", total.get())}</span>
        </div>
        <Pager page pages />
    }
}

/// "Export CSV": a plain link to every row that matches the list's search and filter (not only the
/// page on screen), so it works before the page's WASM has loaded.
#[component]
pub(crate) fn ExportLink(
    /// `learners` or `invites`.
    list: &'static str,
    search: RwSignal<String>,
    #[prop(optional)] filter: Option<RwSignal<String>>,
) -> impl IntoView {
    let href = move || {
        let mut parts = vec![];
        let search = search.get();
        let filter = filter.map(|f| f.get()).unwrap_or_default();
        for (key, value) in [("search", search.trim()), ("filter", filter.trim())] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", crate::format::query_value(value)));
            }
        }
        let query = if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        };
        format!("/api/export/{list}.csv{query}")
    };
    view! {
        <a
            class="button button-secondary"
            href=href
            download
            data-testid="export-csv"
            title="Every row that matches the search and filter, as a CSV file"
        >
            "Export CSV"
        </a>
    }
}

#[component]
pub(crate) fn Pager(page: RwSignal<u32>, #[prop(into)] pages: Signal<u32>) -> impl IntoView {
    view! {
        <Show when=move || { pages.get() > 1 }>
            <nav class="pager" aria-label="Pages">
                <button
                    type="button"
                    class="button"
                    disabled=move || { page.get() <= 1 }
                    on:click=move |_| page.update(|p| *p -= 1)
                >
                    "Previous"
                </button>
                <span class="muted">
                    {move || format!("Page {} of {}", page.get(), pages.get())}
                </span>
                <button
                    type="button"
                    class="button"
                    disabled=move || { page.get() >= pages.get() }
                    on:click=move |_| page.update(|p| *p += 1)
                >
                    "Next"
                </button>
            </nav>
        </Show>
    }
}
