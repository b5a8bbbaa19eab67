//! The Teams section of "Manage Learners and Teams" (`/a/:slug/admin/teams`) and each team's page.
//! Like the other lists, the first page arrives in the server-rendered HTML (see `pages`).

mod members_tab;
mod team_form;
mod team_page;
mod team_settings;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::TeamId;
use crate::{
    api::teams::{CreateTeam, DeleteTeam, list_team_summaries},
    components::{
        dialog::ConfirmDialog,
        nav::use_academy,
        notice::{Notice, NoticeLine},
        team_badge::TeamBadge,
    },
    domain::team::DEFAULT_TEAM_COLOR,
    format,
    model::{DeletedTeam, ListQuery, TeamSummary},
    pages::learners::{ListControls, Section, SectionTabs},
};
use team_form::TeamForm;
pub use team_page::TeamPage;

#[component]
pub fn TeamsPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=crate::domain::Permission::ManageLearners>
            <Teams />
        </crate::pages::admin_shell::RequirePermission>
    }
}

/// "Delete team?" in words that say what happens to its people.
/// "Delete team "Sales"?" — the question of the confirmation.
pub(crate) fn delete_question(name: &str) -> String {
    format!("Delete team \"{name}\"?")
}

/// What deleting a team does to its people: "Its 1 learner stays in the academy; …".
pub(crate) fn delete_consequence(learners: i64, invites: i64) -> String {
    let people = match learners {
        0 => "It has no learners".to_string(),
        1 => "Its 1 learner stays in the academy".to_string(),
        n => format!("Its {n} learners stay in the academy"),
    };
    let pending = match invites {
        0 => String::new(),
        1 => "; 1 pending invite loses only this team".to_string(),
        n => format!("; {n} pending invites lose only this team"),
    };
    format!("{people}{pending}.")
}

pub(crate) fn deleted_notice(d: &DeletedTeam) -> String {
    format!(
        "Team \"{}\" deleted. {} learner(s) left it and stay in the academy; {} pending invite(s) lost this team.",
        d.name, d.learners, d.invites
    )
}

#[component]
fn Teams() -> impl IntoView {
    let slug = use_academy().academy.slug;
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let creating = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let color = RwSignal::new(DEFAULT_TEAM_COLOR.to_string());
    let create = ServerAction::<CreateTeam>::new();
    let delete = ServerAction::<DeleteTeam>::new();
    let confirming = RwSignal::new(None::<TeamId>);
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after a team was created or deleted.
    let data = Resource::new(
        move || {
            let query = ListQuery {
                search: search.get(),
                page: page.get(),
                ..Default::default()
            };
            (query, create.version().get(), delete.version().get())
        },
        |(query, ..)| list_team_summaries(query),
    );
    let team_path = {
        let slug = slug.clone();
        move |id: TeamId| format!("/a/{slug}/admin/teams/{id}")
    };
    Effect::new(move |_| {
        if let Some(Ok(team)) = create.value().get() {
            notice.info(format!("Team \"{}\" created.", team.name));
            creating.set(false);
            name.set(String::new());
            color.set(DEFAULT_TEAM_COLOR.to_string());
        }
    });
    notice.follow(delete.value(), move |d| {
        confirming.set(None);
        Some(deleted_notice(&d))
    });
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let loaded = move || data.get().and_then(|r| r.ok());
    let pages = Signal::derive(move || loaded().map(|p| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    view! {
        <Title text="Teams" />
        <div class="page-head">
            <h1>"Manage Learners and Teams"</h1>
            <button
                type="button"
                class="button button-primary"
                aria-expanded=move || creating.get().to_string()
                on:click=move |_| {
                    create.value().set(None);
                    creating.update(|c| *c = !*c);
                }
            >
                "Create team"
            </button>
        </div>
        <SectionTabs current=Section::Teams />
        <Show when=move || creating.get()>
            <section class="panel" aria-labelledby="create-team-title">
                <h2 id="create-team-title">"Create team"</h2>
                <TeamForm
                    form_id="new-team"
                    name
                    color
                    submit_label="Create team"
                    pending_label="Creating…"
                    pending=create.pending()
                    error=create_error
                    on_submit=Callback::new(move |_| {
                        create
                            .dispatch(CreateTeam {
                                name: name.get_untracked(),
                                color: color.get_untracked(),
                            });
                    })
                    on_cancel=Callback::new(move |_| creating.set(false))
                />
            </section>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading teams…"</p> }>
            <ListControls search page pages total placeholder="Search teams by name" />
            <NoticeLine notice test_id="teams-notice" />
            {move || match data.get() {
                None => ().into_any(),
                Some(Err(e)) => {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() && search.get_untracked().trim().is_empty() => {
                    view! {
                        <section class="empty-state">
                            <h2>"No teams yet"</h2>
                            <p>
                                "Teams group learners — by department, location or start date. Use \"Create team\", then invite people straight into it with \"Invite to team\" or add learners who already registered."
                            </p>
                        </section>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() => {
                    view! { <p class="empty-inline">"No team matches your search."</p> }.into_any()
                }
                Some(Ok(p)) => {
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="teams-table">
                                <thead>
                                    <tr>
                                        <th>"Team"</th>
                                        <th class="num">"Learners"</th>
                                        <th class="num">"Pending invites"</th>
                                        <th>"Created"</th>
                                        <th>
                                            <span class="sr-only">"Actions"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|t| {
                                            view! {
                                                <TeamRow
                                                    summary=t
                                                    path=team_path.clone()
                                                    delete
                                                    confirming
                                                />
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </Transition>
    }
}

#[component]
fn TeamRow(
    summary: TeamSummary,
    path: impl Fn(TeamId) -> String + 'static,
    delete: ServerAction<DeleteTeam>,
    confirming: RwSignal<Option<TeamId>>,
) -> impl IntoView {
    let id = summary.team.id;
    let href = path(id);
    let question = delete_question(&summary.team.name);
    let consequence = delete_consequence(summary.learners_count, summary.invites_count);
    let delete_label = format!("Delete team {}", summary.team.name);
    let open_label = format!("Open team {}", summary.team.name);
    view! {
        <tr data-testid="team-row" data-name=summary.team.name.clone()>
            <td>
                <a class="team-link" href=href.clone() aria-label=open_label>
                    <TeamBadge team=summary.team.clone() />
                </a>
            </td>
            <td class="num" data-testid="learners-count">
                {summary.learners_count}
            </td>
            <td class="num" data-testid="invites-count">
                {summary.invites_count}
            </td>
            <td class="nowrap">{format::date(summary.created_at)}</td>
            <td class="actions">
                <a class="link-button" href=href.clone()>
                    "Open"
                </a>
                <button
                    type="button"
                    class="link-button danger"
                    aria-label=delete_label.clone()
                    on:click=move |_| {
                        delete.value().set(None);
                        confirming.set(Some(id));
                    }
                >
                    "Delete"
                </button>
                {move || {
                    (confirming.get() == Some(id))
                        .then(|| {
                            view! {
                                <ConfirmDialog
                                    title=question.clone()
                                    text=consequence.clone()
                                    yes="Yes, delete team"
                                    busy=delete.pending()
                                    error=crate::components::field::failure(delete.value())
                                    on_yes=Callback::new(move |_| {
                                        delete.dispatch(DeleteTeam { team_id: id });
                                    })
                                    on_cancel=Callback::new(move |_| confirming.set(None))
                                />
                            }
                        })
                }}
            </td>
        </tr>
    }
}
