//! One team (`/a/:slug/admin/teams/:team_id`): its learners ("Learners in team", "Invites in team"),
//! "Invite to team", and its settings.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::{deleted_notice, members_tab::MembersTab, team_settings::TeamSettings};
use crate::domain::TeamId;
use crate::{
    api::teams::get_team,
    components::{nav::use_academy, team_badge::TeamBadge},
    error::AppError,
    model::{DeletedTeam, TeamSummary},
    pages::learners::{InviteDialog, InvitesTab},
};

#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=crate::domain::Permission::ManageLearners>
            <Team />
        </crate::pages::admin_shell::RequirePermission>
    }
}

#[component]
fn Team() -> impl IntoView {
    let slug = use_academy().academy.slug;
    let params = use_params_map();
    let team_id = move || {
        params
            .read()
            .get("team_id")
            .and_then(|id| id.parse::<TeamId>().ok())
    };
    // Bumped by every change on the page, so the counts and both lists reload.
    let version = RwSignal::new(0u32);
    // The team as the page opened it: loaded again only for another team. Reloaded after every
    // change, its <Transition> (or the layout's <Suspense>, through the memo below) swapped the
    // page for the fallback and lost an open dialog; the counts come again outside any of them.
    let data = Resource::new(team_id, |id| async move {
        match id {
            Some(id) => get_team(id).await,
            None => Err(AppError::NotFound("There is no such team.".into())),
        }
    });
    let fresh = RwSignal::new(None::<TeamSummary>);
    Effect::new(move |seen: Option<u32>| {
        let now = version.get();
        if seen.is_some_and(|s| s != now)
            && let Some(id) = team_id()
        {
            leptos::task::spawn_local(async move {
                if let Ok(team) = get_team(id).await {
                    fresh.set(Some(team));
                }
            });
        }
        now
    });
    // What the page shows changes only when the team loads, fails or is another team: reloading the
    // counts must not rebuild the page (an open dialog, a search, a half-typed name would be lost).
    let deleted = RwSignal::new(None::<DeletedTeam>);
    let state = Memo::new(move |_| match data.get() {
        _ if deleted.get().is_some() => Shown::Deleted,
        None => Shown::Loading,
        Some(Err(e)) => Shown::Failed(e.to_string()),
        Some(Ok(t)) => Shown::Team(t.team.id),
    });
    let summary = Signal::derive(move || {
        fresh
            .get()
            .filter(|t| Some(t.team.id) == team_id())
            .or_else(|| data.get().and_then(|r| r.ok()))
    });
    let teams_path = format!("/a/{slug}/admin/teams");
    let back = teams_path.clone();
    view! {
        // The server renders <title> after the page's own signals are gone: `try_get`, never `get`.
        <Title text=move || {
            summary.try_get().flatten().map(|t| t.team.name).unwrap_or_else(|| "Team".into())
        } />
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href=back>"Teams"</a>
            " /"
        </nav>
        <Transition fallback=|| {
            view! {
                <h1>"Team"</h1>
                <p class="loading">"Loading team…"</p>
            }
        }>
            // Read here, inside the <Transition>, so the server renders the team into the
            // page; untracked, so a reload (new counts) does not rebuild the page (an open
            // dialog or a half-typed name would be lost).
            {move || {
                data.with_untracked(|_| ());
                match state.get() {
                    Shown::Loading => ().into_any(),
                    Shown::Failed(message) => {
                        view! {
                            <h1>"Team"</h1>
                            <section class="empty-state">
                                <h2>{message}</h2>
                                <p>
                                    <a href=teams_path.clone()>"Back to all teams"</a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Shown::Deleted => {
                        view! {
                            <h1>"Team deleted"</h1>
                            <section class="empty-state">
                                <p role="status">
                                    {deleted.get_untracked().map(|d| deleted_notice(&d))}
                                </p>
                                <p>
                                    <a class="button button-primary" href=teams_path.clone()>
                                        "Back to all teams"
                                    </a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Shown::Team(team_id) => {
                        view! {
                            <TeamBody
                                team_id
                                summary
                                version
                                teams_path=teams_path.clone()
                                on_deleted=Callback::new(move |d| deleted.set(Some(d)))
                            />
                        }
                            .into_any()
                    }
                }
            }}
        </Transition>
    }
}

#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Deleted,
    Failed(String),
    Team(TeamId),
}

/// "12 learners · 3 pending invites".
fn counts_text(s: &TeamSummary) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    format!(
        "{} learner{} · {} pending invite{}",
        s.learners_count,
        plural(s.learners_count),
        s.invites_count,
        plural(s.invites_count)
    )
}

#[component]
fn TeamBody(
    team_id: TeamId,
    summary: Signal<Option<TeamSummary>>,
    version: RwSignal<u32>,
    teams_path: String,
    on_deleted: Callback<DeletedTeam>,
) -> impl IntoView {
    let dialog_open = RwSignal::new(false);
    let in_browser = RwSignal::new(false);
    Effect::new(move |_| in_browser.set(true));
    let bump = Callback::new(move |_| version.update(|v| *v += 1));
    let team = move || summary.get_untracked().map(|s| s.team);
    let path = format!("{teams_path}/{team_id}");
    view! {
        <div class="page-head">
            <div>
                <h1 class="team-title">
                    {move || summary.get().map(|s| view! { <TeamBadge team=s.team /> })}
                </h1>
                <p class="muted" data-testid="team-counts">
                    {move || summary.get().map(|s| counts_text(&s))}
                </p>
            </div>
            <button
                type="button"
                class="button button-primary"
                on:click=move |_| dialog_open.set(true)
            >
                "Invite to team"
            </button>
        </div>
        // The lists load once the page has hydrated: made by the server inside the team's
        // <Transition> (they exist only once the team has loaded) they did not hydrate.
        {move || {
            if in_browser.get() {
                view! { <TeamLearners team_id summary version path=path.clone() on_change=bump /> }
                    .into_any()
            } else {
                // Not the "loading" of a <Suspense> fallback: this one is what the server means to send.
                view! {
                    <p class="muted" data-testid="team-lists-pending">
                        "Loading the team's learners…"
                    </p>
                }
                    .into_any()
            }
        }}
        {move || team().map(|t| view! { <TeamSettings team=t summary on_saved=bump on_deleted /> })}
        <Show when=move || {
            dialog_open.get()
        }>
            {move || {
                team()
                    .map(|t| {
                        view! {
                            <InviteDialog
                                team=t
                                on_close=Callback::new(move |_| dialog_open.set(false))
                                on_sent=bump
                            />
                        }
                    })
            }}
        </Show>
    }
}

/// The team's "Learners" area: "Learners in team" and "Invites in team" (`?tab=invites`).
#[component]
fn TeamLearners(
    team_id: TeamId,
    summary: Signal<Option<TeamSummary>>,
    version: RwSignal<u32>,
    /// The team page's path.
    path: String,
    on_change: Callback<()>,
) -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let navigate = use_navigate();
    let go = move |invites: bool| {
        let to = if invites {
            format!("{path}?tab=invites")
        } else {
            path.clone()
        };
        navigate(&to, Default::default());
    };
    let go2 = go.clone();
    let count = move |f: fn(&TeamSummary) -> i64| summary.get().map(|s| f(&s)).unwrap_or(0);
    view! {
        <section class="team-section" aria-labelledby="team-learners-title">
            <h2 id="team-learners-title">"Learners"</h2>
            <div class="tabs" role="tablist" aria-label="Learners of the team">
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    aria-selected=move || (tab() != "invites").to_string()
                    on:click=move |_| go(false)
                >
                    "Learners in team "
                    <span class="tab-count">{move || count(|s| s.learners_count)}</span>
                </button>
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    aria-selected=move || (tab() == "invites").to_string()
                    on:click=move |_| go2(true)
                >
                    "Invites in team "
                    <span class="tab-count">{move || count(|s| s.invites_count)}</span>
                </button>
            </div>
            <div role="tabpanel">
                {move || {
                    if tab() == "invites" {
                        view! { <InvitesTab version team=team_id on_change /> }.into_any()
                    } else {
                        view! { <MembersTab team_id version on_change /> }.into_any()
                    }
                }}
            </div>
        </section>
    }
}
