//! "Learners in team": the members, taking one out, and "Add learners" (registered learners of the
//! academy, searched and picked several at once).

use leptos::prelude::*;

use crate::domain::{TeamId, UserId};
use crate::{
    api::{
        bulk::BulkLearners,
        teams::{AddTeamMembers, RemoveTeamMember, list_team_members, team_candidates},
    },
    components::{
        nav::use_academy,
        notice::{Notice, NoticeLine},
    },
    domain::team::CANDIDATES_SHOWN,
    format,
    model::{ListQuery, TeamMemberView, display_name},
    pages::learners::{
        ListControls,
        bulk_bar::{LearnerBulkBar, PickCell, PickPageCell, Picked},
    },
};

#[component]
pub fn MembersTab(
    team_id: TeamId,
    version: RwSignal<u32>,
    on_change: Callback<()>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let adding = RwSignal::new(false);
    let add = ServerAction::<AddTeamMembers>::new();
    let remove = ServerAction::<RemoveTeamMember>::new();
    let bulk = ServerAction::<BulkLearners>::new();
    let picked = Picked::new();
    // A new search is a new list: what was ticked on the old one is let go.
    Effect::new(move |_| {
        search.track();
        picked.clear();
    });
    let notice = Notice::default();
    // Every team of the academy, for the bar's "Add to team" and "Remove from team".
    let all_teams = Resource::new(|| (), |_| crate::api::teams::list_teams());
    let all_teams =
        Signal::derive(move || all_teams.get().and_then(|r| r.ok()).unwrap_or_default());
    let plan = Signal::stored(Some(use_academy().academy.plan));
    let query = Signal::derive(move || ListQuery {
        search: search.get(),
        page: 1,
        team_id: Some(team_id),
        ..Default::default()
    });
    let data = Resource::new(
        move || {
            let query = ListQuery {
                search: search.get(),
                page: page.get(),
                ..Default::default()
            };
            (query, version.get(), bulk.version().get())
        },
        move |(query, ..)| list_team_members(team_id, query),
    );
    notice.follow(add.value(), move |r| {
        adding.set(false);
        on_change.run(());
        let mut text = format!(
            "Added {} learner{} to the team.",
            r.added,
            if r.added == 1 { "" } else { "s" }
        );
        if r.already > 0 {
            text.push_str(&format!(" {} were in it already.", r.already));
        }
        Some(text)
    });
    notice.follow(remove.value(), move |()| {
        on_change.run(());
        Some("Removed from the team. They are still a learner of the academy.".into())
    });
    // The team's counts follow a bulk change; the bar says what came of it.
    notice.follow(bulk.value(), move |_| {
        on_change.run(());
        None
    });
    let loaded = move || data.get().and_then(|r| r.ok());
    let pages = Signal::derive(move || loaded().map(|p| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading learners…"</p> }>
            <ListControls search page pages total placeholder="Search this team's learners">
                <button
                    type="button"
                    class="button"
                    aria-expanded=move || adding.get().to_string()
                    on:click=move |_| adding.update(|a| *a = !*a)
                >
                    "Add learners"
                </button>
            </ListControls>
            <Show when=move || adding.get()>
                <AddLearners team_id add on_cancel=Callback::new(move |_| adding.set(false)) />
            </Show>
            <NoticeLine notice test_id="members-notice" />
            <LearnerBulkBar picked total query teams=all_teams plan action=bulk notice />
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
                            <h2>"No learners in this team yet"</h2>
                            <p>
                                "Add learners who already registered with \"Add learners\", or invite new people with \"Invite to team\": they appear here as soon as they register."
                            </p>
                        </section>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() => {
                    view! {
                        <p class="empty-inline">"No learner of this team matches your search."</p>
                    }
                        .into_any()
                }
                Some(Ok(p)) => {
                    picked.show(p.rows.iter().map(|m| m.user_id).collect());
                    // The rows are noted (above) inside the <Transition> (see the learners tab).
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="members-table">
                                <thead>
                                    <tr>
                                        <PickPageCell picked />
                                        <th>"Name"</th>
                                        <th>"Email"</th>
                                        <th>"Role"</th>
                                        <th>"Joined team"</th>
                                        <th>
                                            <span class="sr-only">"Actions"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|m| {
                                            view! { <MemberRow member=m team_id remove picked /> }
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
fn MemberRow(
    member: TeamMemberView,
    team_id: TeamId,
    remove: ServerAction<RemoveTeamMember>,
    picked: Picked<UserId>,
) -> impl IntoView {
    let user_id = member.user_id;
    let name = display_name(&member.first_name, &member.last_name, &member.email);
    view! {
        <tr data-testid="member-row" data-email=member.email.clone()>
            <PickCell picked id=user_id label=format!("Select {name}") />
            <td>
                <a
                    class="person-link"
                    href=crate::model::learner_path(
                        &crate::components::nav::use_academy().academy.slug,
                        user_id,
                    )
                >
                    {name.clone()}
                </a>
            </td>
            <td>{member.email.clone()}</td>
            <td class="nowrap">{member.role.label()}</td>
            <td class="nowrap">{format::date_time(member.joined_at)}</td>
            <td class="actions">
                <button
                    type="button"
                    class="link-button danger"
                    aria-label=format!("Remove from team: {name}")
                    disabled=move || remove.pending().get()
                    on:click=move |_| {
                        remove
                            .dispatch(RemoveTeamMember {
                                team_id,
                                user_id,
                            });
                    }
                >
                    "Remove from team"
                </button>
            </td>
        </tr>
    }
}

/// Search registered learners who are not in the team, tick several, add them in one go.
#[component]
fn AddLearners(
    team_id: TeamId,
    add: ServerAction<AddTeamMembers>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    // Picked learners, kept while the search changes: (id, label).
    let picked = RwSignal::new(Vec::<(UserId, String)>::new());
    // Only ever shown after a click: loaded in the browser.
    let found = LocalResource::new(move || team_candidates(team_id, search.get()));
    let toggle = move |id: UserId, label: String, on: bool| {
        picked.update(|p| {
            p.retain(|(x, _)| *x != id);
            if on {
                p.push((id, label));
            }
        })
    };
    view! {
        <section class="panel add-learners" aria-labelledby="add-learners-title">
            <h3 id="add-learners-title">"Add learners"</h3>
            <p class="muted small">
                "Registered learners of the academy who are not in this team. To bring in someone new, use \"Invite to team\"."
            </p>
            <input
                type="search"
                class="search"
                placeholder="Search by name or email"
                aria-label="Search learners to add"
                maxlength=crate::domain::search::SEARCH_MAX_CHARS
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))
            />
            // A boundary of its own: the search must not hold up the members list around it.
            <Transition fallback=|| {
                view! { <p class="muted small">"Searching…"</p> }
            }>
                {move || match found.get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! {
                            <p class="muted small">
                                {if search.get_untracked().trim().is_empty() {
                                    "Every registered learner is in this team already."
                                } else {
                                    "No learner outside this team matches."
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            {(list.len() as i64 >= CANDIDATES_SHOWN)
                                .then(|| {
                                    view! {
                                        <p class="muted small">
                                            {format!(
                                                "Showing the first {CANDIDATES_SHOWN} matches; type a name or email to narrow them.",
                                            )}
                                        </p>
                                    }
                                })}
                            <ul class="pick-list" data-testid="candidates">
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let id = c.user_id;
                                        let label = display_name(
                                            &c.first_name,
                                            &c.last_name,
                                            &c.email,
                                        );
                                        let text = label.clone();
                                        view! {
                                            <li>
                                                <label class="checkbox">
                                                    <input
                                                        type="checkbox"
                                                        prop:checked=move || {
                                                            picked.get().iter().any(|(x, _)| *x == id)
                                                        }
                                                        on:change=move |ev| toggle(
                                                            id,
                                                            label.clone(),
                                                            event_target_checked(&ev),
                                                        )
                                                    />
                                                    <span>
                                                        {text}" "<span class="muted small">{c.email.clone()}</span>
                                                    </span>
                                                </label>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </Transition>
            {move || {
                let p = picked.get();
                (!p.is_empty())
                    .then(|| {
                        view! {
                            <p class="small" data-testid="picked">
                                {format!(
                                    "Chosen: {}",
                                    p.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(", "),
                                )}
                            </p>
                        }
                    })
            }}
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || picked.get().is_empty() || add.pending().get()
                    on:click=move |_| {
                        let user_ids = picked
                            .get_untracked()
                            .into_iter()
                            .map(|(id, _)| id)
                            .collect();
                        add.dispatch(AddTeamMembers {
                            team_id,
                            user_ids,
                        });
                    }
                >
                    {move || match picked.get().len() {
                        0 => "Add to team".to_string(),
                        1 => "Add 1 learner".to_string(),
                        n => format!("Add {n} learners"),
                    }}
                </button>
            </div>
        </section>
    }
}
