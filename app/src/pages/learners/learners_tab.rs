use leptos::prelude::*;

use super::{
    ExportLink, ListControls,
    bulk_bar::{LearnerBulkBar, PickCell, PickPageCell, Picked},
};
use crate::domain::{TeamId, UserId};
use crate::{
    api::{
        bulk::BulkLearners,
        learners::list_learners,
        learners::{ChangeLearnerRole, DeactivateLearner, ReactivateLearner, RemoveLearner},
        password::SendPasswordReset,
        teams::{AddTeamMembers, RemoveTeamMember},
    },
    components::{
        dialog::ConfirmDialog,
        nav::use_academy,
        notice::{Notice, NoticeLine},
        team_badge::TeamBadge,
    },
    domain::{
        account::AccountStatus,
        role::{LEARNER_ROLES, Plan, Role},
    },
    format,
    model::{LearnerView, ListQuery, Page, TeamView},
};

#[component]
pub fn LearnersTab(version: RwSignal<u32>) -> impl IntoView {
    let ctx = use_academy();
    let search = RwSignal::new(String::new());
    // "" (active learners), "deactivated" or "all": `domain::account::StatusFilter`.
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let change = ServerAction::<ChangeLearnerRole>::new();
    let remove = ServerAction::<RemoveLearner>::new();
    let deactivate = ServerAction::<DeactivateLearner>::new();
    let reactivate = ServerAction::<ReactivateLearner>::new();
    let reset = ServerAction::<SendPasswordReset>::new();
    let join_team = ServerAction::<AddTeamMembers>::new();
    let leave_team = ServerAction::<RemoveTeamMember>::new();
    let bulk = ServerAction::<BulkLearners>::new();
    let picked = Picked::new();
    // A new search or filter is a new list: what was ticked on the old one is let go.
    Effect::new(move |_| {
        search.track();
        filter.track();
        picked.clear();
    });
    // Every team, for each row's "Add to team".
    let all_teams = Resource::new(|| (), |_| crate::api::teams::list_teams());
    let all_teams =
        Signal::derive(move || all_teams.get().and_then(|r| r.ok()).unwrap_or_default());
    // The row whose "Remove" or "Revoke access" waits for confirmation.
    let confirming = RwSignal::new(None::<(UserId, Confirm)>);
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after invitations were sent and after role,
    // removal and team changes.
    let data = Resource::new(
        move || {
            let query = ListQuery {
                search: search.get(),
                filter: filter.get(),
                page: page.get(),
                team_id: None,
            };
            let reloads = (
                change.version().get(),
                remove.version().get(),
                join_team.version().get(),
                leave_team.version().get(),
                deactivate.version().get(),
                reactivate.version().get(),
                bulk.version().get(),
            );
            (query, version.get(), reloads)
        },
        |(query, ..)| list_learners(query),
    );
    let plan = Signal::stored(Some(ctx.academy.plan));
    let me = Signal::stored(ctx.viewer.user().map(|u| u.id));
    notice.follow(change.value(), |u| {
        Some(format!("{} is now {}.", u.display_name(), u.role.label()))
    });
    notice.follow(reset.value(), |email| {
        Some(format!(
            "A link to choose a new password is on its way to {email}. It works for one hour."
        ))
    });
    // Team changes show in the row itself; only a failure needs words.
    notice.follow(join_team.value(), |_| None);
    notice.follow(leave_team.value(), |()| None);
    notice.follow(remove.value(), move |u| {
        confirming.set(None);
        Some(format!(
            "{} was removed from the academy.",
            u.display_name()
        ))
    });
    notice.follow(deactivate.value(), move |u| {
        confirming.set(None);
        Some(format!(
            "{}'s access is revoked: they are signed out and cannot sign in until you give it back (Show: Access revoked).",
            u.display_name()
        ))
    });
    // A failure closes the question; the notice says what went wrong.
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Err(_)))
            || matches!(deactivate.value().get(), Some(Err(_)))
        {
            confirming.set(None);
        }
    });
    notice.follow(reactivate.value(), |u| {
        Some(format!("{} can sign in again.", u.display_name()))
    });
    let loaded = move || data.get().and_then(|r| r.ok());
    let query = Signal::derive(move || ListQuery {
        search: search.get(),
        filter: filter.get(),
        page: 1,
        team_id: None,
    });
    let pages = Signal::derive(move || loaded().map(|p: Page<_>| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading learners…"</p> }>
            <ListControls search page pages total placeholder="Search learners by name or email">
                <label class="inline-label">
                    "Show "
                    <select
                        aria-label="Which learners"
                        data-testid="learners-filter"
                        on:change=move |ev| {
                            filter.set(event_target_value(&ev));
                            page.set(1);
                        }
                    >
                        <option value="">"Active learners"</option>
                        <option value="deactivated">"Access revoked"</option>
                        <option value="all">"All learners"</option>
                    </select>
                </label>
                <ExportLink list="learners" search filter />
            </ListControls>
            <NoticeLine notice test_id="learners-notice" />
            <LearnerBulkBar picked total query teams=all_teams plan action=bulk notice />
            // The table stays while the next page or search loads.
            {move || match data.get() {
                None => ().into_any(),
                Some(r) => {
                    match r {
                        Err(e) => {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {e.to_string()}
                                </div>
                            }
                                .into_any()
                        }
                        Ok(
                            p,
                        ) if p.rows.is_empty() && search.get_untracked().is_empty()
                            && filter.get_untracked() == "deactivated" => {
                            view! {
                                <p class="empty-inline">
                                    "Nobody's access is revoked. \"Revoke access\" on a learner's row signs them out and keeps them out, without removing them."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(p) if p.rows.is_empty() && search.get_untracked().is_empty() => {
                            view! {
                                <section class="empty-state">
                                    <h2>"No learners yet"</h2>
                                    <p>
                                        "Learners appear here once they accept their invitation. Use \"Invite Learners\" to invite the first ones."
                                    </p>
                                </section>
                            }
                                .into_any()
                        }
                        Ok(p) if p.rows.is_empty() => {
                            view! { <p class="empty-inline">"No learner matches your search."</p> }
                                .into_any()
                        }
                        Ok(p) => {
                            picked.show(p.rows.iter().map(|r| r.id).collect());
                            // The rows on screen are noted (above) here, inside the <Transition>: a read
                            // of the list outside it would make the layout's <Suspense> swap the whole page
                            // (and any open dialog) for its fallback on every reload.
                            view! {
                                <div class="table-wrap">
                                    <table class="table" data-testid="learners-table">
                                        <thead>
                                            <tr>
                                                <PickPageCell picked />
                                                <th>"Name"</th>
                                                <th>"Email"</th>
                                                <th>"Role"</th>
                                                <th>"Teams"</th>
                                                <th>"Registered"</th>
                                                <th>"Last sign-in"</th>
                                                <th>
                                                    <span class="sr-only">"Actions"</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p
                                                .rows
                                                .into_iter()
                                                .map(|l| {
                                                    view! {
                                                        <LearnerRow
                                                            learner=l
                                                            picked
                                                            plan
                                                            me
                                                            change
                                                            remove
                                                            reset
                                                            access=AccessActions {
                                                                deactivate,
                                                                reactivate,
                                                            }
                                                            confirming
                                                            teams=TeamActions {
                                                                all: all_teams,
                                                                join: join_team,
                                                                leave: leave_team,
                                                            }
                                                        />
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {move || {
                                    plan.get()
                                        .and_then(|p| p.unavailable_reason(Role::LearnerAdmin))
                                        .map(|why| {
                                            view! {
                                                <p class="muted small">
                                                    {why}" The Owner changes the plan in Settings."
                                                </p>
                                            }
                                        })
                                }}
                            }
                                .into_any()
                        }
                    }
                }
            }}
        </Transition>
    }
}

const REMOVE_TEXT: &str = "Their account is deleted and their name and email are erased from invitations, uploads and the audit log. This cannot be undone.";
const REVOKE_TEXT: &str = "They are signed out at once and cannot sign in or use an invitation link until you give access back. Their teams and history stay.";

/// The confirmation a row is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Confirm {
    Remove,
    Revoke,
}

/// "Revoke access" and giving it back.
#[derive(Clone, Copy)]
struct AccessActions {
    deactivate: ServerAction<DeactivateLearner>,
    reactivate: ServerAction<ReactivateLearner>,
}

/// What a row needs to show and change a learner's teams.
#[derive(Clone, Copy)]
struct TeamActions {
    all: Signal<Vec<TeamView>>,
    join: ServerAction<AddTeamMembers>,
    leave: ServerAction<RemoveTeamMember>,
}

/// The learner's teams as badges, each with a remove button, and a picker to add one more.
#[component]
fn LearnerTeams(
    user_id: UserId,
    name: String,
    teams: Vec<TeamView>,
    actions: TeamActions,
) -> impl IntoView {
    let TeamActions { all, join, leave } = actions;
    let busy = move || join.pending().get() || leave.pending().get();
    let member_of: Vec<TeamId> = teams.iter().map(|t| t.id).collect();
    let add_label = format!("Add {name} to a team");
    view! {
        <div class="learner-teams">
            {teams
                .into_iter()
                .map(|t| {
                    let team_id = t.id;
                    let label = format!("Remove {name} from {}", t.name);
                    view! {
                        <span class="team-chip">
                            <TeamBadge team=t />
                            <button
                                type="button"
                                class="chip-remove"
                                aria-label=label.clone()
                                title=label
                                disabled=busy
                                on:click=move |_| {
                                    leave
                                        .dispatch(RemoveTeamMember {
                                            team_id,
                                            user_id,
                                        });
                                }
                            >
                                "×"
                            </button>
                        </span>
                    }
                })
                .collect_view()}
            {move || {
                let options: Vec<TeamView> = all
                    .get()
                    .into_iter()
                    .filter(|t| !member_of.contains(&t.id))
                    .collect();
                (!options.is_empty())
                    .then(|| {
                        view! {
                            <select
                                class="add-team"
                                aria-label=add_label.clone()
                                data-testid="add-to-team"
                                disabled=busy
                                on:change=move |ev| {
                                    if let Ok(team_id) = event_target_value(&ev).parse::<TeamId>() {
                                        join.dispatch(AddTeamMembers {
                                            team_id,
                                            user_ids: vec![user_id],
                                        });
                                    }
                                }
                            >
                                <option value="" selected>
                                    "+ Team"
                                </option>
                                {options
                                    .into_iter()
                                    .map(|t| {
                                        view! { <option value=t.id.to_string()>{t.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn LearnerRow(
    learner: LearnerView,
    picked: Picked<UserId>,
    plan: Signal<Option<Plan>>,
    me: Signal<Option<UserId>>,
    change: ServerAction<ChangeLearnerRole>,
    remove: ServerAction<RemoveLearner>,
    reset: ServerAction<SendPasswordReset>,
    access: AccessActions,
    confirming: RwSignal<Option<(UserId, Confirm)>>,
    teams: TeamActions,
) -> impl IntoView {
    let AccessActions {
        deactivate,
        reactivate,
    } = access;
    let id = learner.id;
    let current = learner.role;
    let revoked = learner.status == AccountStatus::Deactivated;
    let name = crate::model::display_name(&learner.first_name, &learner.last_name, &learner.email);
    let own = move || me.get() == Some(id);
    let busy = move || {
        change.pending().get()
            || remove.pending().get()
            || deactivate.pending().get()
            || reactivate.pending().get()
    };
    let role_label = format!("Role of {name}");
    let remove_title = format!("Remove {name} from the academy?");
    let revoke_title = format!("Revoke {name}'s access?");
    let remove_label = format!("Remove {name}");
    let revoke_label = format!("Revoke access of {name}");
    let restore_label = format!("Give access again to {name}");
    let reset_label = format!("Send password reset to {name}");
    view! {
        <tr data-testid="learner-row" data-email=learner.email.clone()>
            <PickCell picked id label=format!("Select {name}") />
            <td>
                <a
                    class="person-link"
                    href=crate::model::learner_path(&use_academy().academy.slug, id)
                >
                    {name.clone()}
                </a>
                {revoked
                    .then(|| {
                        view! {
                            " "
                            <span class="status status-bad" data-testid="access-revoked">
                                {AccountStatus::Deactivated.label()}
                            </span>
                        }
                    })}
            </td>
            <td>{learner.email.clone()}</td>
            <td>
                <select
                    aria-label=role_label
                    data-testid="role-select"
                    disabled=move || own() || busy()
                    on:change=move |ev| {
                        if let Ok(role) = Role::parse(&event_target_value(&ev)) {
                            change
                                .dispatch(ChangeLearnerRole {
                                    user_id: id,
                                    role,
                                });
                        }
                    }
                >
                    {LEARNER_ROLES
                        .into_iter()
                        .map(|r| {
                            let reason = move || plan.get().and_then(|p| p.unavailable_reason(r));
                            view! {
                                <option
                                    value=r.as_str()
                                    selected=r == current
                                    disabled=move || r != current && reason().is_some()
                                    title=reason
                                >
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </td>
            <td>
                <LearnerTeams user_id=id name=name.clone() teams=learner.teams actions=teams />
            </td>
            <td>{format::date(learner.registered_at)}</td>
            <td>
                {learner.last_sign_in_at.map(format::date_time).unwrap_or_else(|| "Never".into())}
            </td>
            <td class="actions">
                {move || {
                    if own() {
                        ().into_any()
                    } else if revoked {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                aria-label=restore_label.clone()
                                data-testid="give-access"
                                disabled=busy
                                on:click=move |_| {
                                    reactivate.dispatch(ReactivateLearner { user_id: id });
                                }
                            >
                                "Give access again"
                            </button>
                            " "
                            <button
                                type="button"
                                class="link-button danger"
                                aria-label=remove_label.clone()
                                on:click=move |_| confirming.set(Some((id, Confirm::Remove)))
                            >
                                "Remove"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                aria-label=reset_label.clone()
                                data-testid="send-reset"
                                disabled=move || reset.pending().get()
                                on:click=move |_| {
                                    reset.dispatch(SendPasswordReset { user_id: id });
                                }
                            >
                                "Send password reset"
                            </button>
                            " "
                            <button
                                type="button"
                                class="link-button danger"
                                aria-label=revoke_label.clone()
                                data-testid="revoke-access"
                                on:click=move |_| confirming.set(Some((id, Confirm::Revoke)))
                            >
                                "Revoke access"
                            </button>
                            " "
                            <button
                                type="button"
                                class="link-button danger"
                                aria-label=remove_label.clone()
                                on:click=move |_| confirming.set(Some((id, Confirm::Remove)))
                            >
                                "Remove"
                            </button>
                        }
                            .into_any()
                    }
                }}
                {move || match confirming.get() {
                    Some((row, what)) if row == id => {
                        let (title, text, yes) = match what {
                            Confirm::Remove => (remove_title.clone(), REMOVE_TEXT, "Yes, remove"),
                            Confirm::Revoke => {
                                (revoke_title.clone(), REVOKE_TEXT, "Yes, revoke access")
                            }
                        };
                        let on_yes = Callback::new(move |_| match what {
                            Confirm::Remove => {
                                remove.dispatch(RemoveLearner { user_id: id });
                            }
                            Confirm::Revoke => {
                                deactivate.dispatch(DeactivateLearner { user_id: id });
                            }
                        });
                        Some(
                            view! {
                                <ConfirmDialog
                                    title
                                    text
                                    yes
                                    busy=Signal::derive(busy)
                                    on_yes
                                    on_cancel=Callback::new(move |_| confirming.set(None))
                                />
                            },
                        )
                    }
                    _ => None,
                }}
            </td>
        </tr>
    }
}
