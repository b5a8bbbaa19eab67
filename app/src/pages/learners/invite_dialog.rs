//! The "Invite Learners" dialog: one or several people, their role, teams and whether to email them.

use leptos::{ev, prelude::*};

use crate::{
    api::invites::{InviteLearners, list_teams},
    components::nav::use_academy,
    components::team_badge::TeamBadge,
    domain::{
        invite::InviteeInput,
        role::{LEARNER_ROLES, Role},
    },
    model::{InviteOutcome, InviteResult, TeamView},
};

/// Above this many teams the picker gets a filter box.
const TEAM_FILTER_FROM: usize = 8;

#[derive(Clone, Copy)]
struct RowState {
    key: u32,
    email: RwSignal<String>,
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
}

impl RowState {
    fn new(key: u32) -> RowState {
        RowState {
            key,
            email: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
        }
    }
}

fn outcome_text(r: &InviteResult) -> (&'static str, String) {
    match &r.outcome {
        InviteOutcome::Invited { .. } => ("ok", "Invited".into()),
        InviteOutcome::AlreadyInvited { .. } => (
            "ok",
            "Already invited — invitation updated and renewed".into(),
        ),
        InviteOutcome::AlreadyLearner { added_to_teams: 0 } => {
            ("info", "Already a learner — nothing sent".into())
        }
        InviteOutcome::AlreadyLearner { added_to_teams } => (
            "info",
            format!("Already a learner — added to {added_to_teams} team(s), nothing sent"),
        ),
        InviteOutcome::Invalid { message } => ("bad", message.clone()),
    }
}

/// With `team` it is "Invite to team": that team is chosen already and the invitations count as
/// coming from the team.
#[component]
pub fn InviteDialog(
    on_close: Callback<()>,
    on_sent: Callback<()>,
    #[prop(optional)] team: Option<TeamView>,
) -> impl IntoView {
    let ctx = use_academy();
    let from_team = team.is_some();
    let title = if from_team {
        "Invite to team"
    } else {
        "Invite Learners"
    };
    let next_key = RwSignal::new(1u32);
    let rows = RwSignal::new(vec![RowState::new(0)]);
    let role = RwSignal::new(Role::Learner);
    let send_email = RwSignal::new(true);
    let chosen_teams = RwSignal::new(team.iter().map(|t| t.id).collect::<Vec<i64>>());
    let team_filter = RwSignal::new(String::new());
    let teams = Resource::new(|| (), |_| list_teams());
    let action = ServerAction::<InviteLearners>::new();
    let value = action.value();
    let academy_plan = ctx.academy.plan;
    let plan = move || Some(academy_plan);
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            on_sent.run(());
        }
    });
    let add_row = move |_| {
        let key = next_key.get_untracked();
        next_key.set(key + 1);
        rows.update(|r| r.push(RowState::new(key)));
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let people = rows
            .get_untracked()
            .iter()
            .filter(|r| {
                !(r.email.get_untracked().trim().is_empty()
                    && r.first_name.get_untracked().trim().is_empty())
            })
            .map(|r| InviteeInput {
                email: r.email.get_untracked(),
                first_name: r.first_name.get_untracked(),
                last_name: r.last_name.get_untracked(),
            })
            .collect::<Vec<_>>();
        action.dispatch(InviteLearners {
            people,
            role: role.get_untracked(),
            team_ids: chosen_teams.get_untracked(),
            send_email: send_email.get_untracked(),
            from_team,
        });
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <div class="dialog-backdrop" on:keydown=on_key>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="invite-title">
                <div class="dialog-head">
                    <h2 id="invite-title">{title}</h2>
                    <button type="button" class="icon-button" aria-label="Close" on:click=move |_| on_close.run(())>"×"</button>
                </div>
                {team.clone().map(|t| view! { <p class="muted small dialog-sub">"Into "<TeamBadge team=t/>" — you can add more teams below."</p> })}
                <div class="tabs tabs-small" role="tablist" aria-label="How to invite">
                    <button type="button" role="tab" class="tab" aria-selected="true">"Add people"</button>
                </div>
                {move || match value.get() {
                    Some(Ok(results)) => view! {
                        <div class="results" data-testid="invite-results">
                            <p>{format!("{} processed:", results.len())}</p>
                            <ul class="result-list">
                                {results.iter().map(|r| {
                                    let (kind, text) = outcome_text(r);
                                    view! { <li class=format!("result result-{kind}")><strong>{r.email.clone()}</strong>" — "{text}</li> }
                                }).collect_view()}
                            </ul>
                            <div class="dialog-actions">
                                <button type="button" class="button" on:click=move |_| { value.set(None); }>"Invite more"</button>
                                <button type="button" class="button button-primary" on:click=move |_| on_close.run(())>"Done"</button>
                            </div>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <form on:submit=submit novalidate>
                            {move || value.get().and_then(|r| r.err()).map(|e| view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> })}
                            <fieldset class="people">
                                <legend>"People"</legend>
                                <For each=move || rows.get() key=|r| r.key let:row>
                                    <div class="person-row">
                                        <input type="email" placeholder="Email" aria-label="Email" prop:value=move || row.email.get()
                                            on:input=move |ev| row.email.set(event_target_value(&ev))/>
                                        <input type="text" placeholder="First name" aria-label="First name" prop:value=move || row.first_name.get()
                                            on:input=move |ev| row.first_name.set(event_target_value(&ev))/>
                                        <input type="text" placeholder="Last name" aria-label="Last name" prop:value=move || row.last_name.get()
                                            on:input=move |ev| row.last_name.set(event_target_value(&ev))/>
                                        <button type="button" class="icon-button" aria-label="Remove this person"
                                            disabled=move || rows.get().len() <= 1
                                            on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"−"</button>
                                    </div>
                                </For>
                                <button type="button" class="link-button" on:click=add_row>"+ Add another person"</button>
                            </fieldset>
                            <fieldset class="roles">
                                <legend>"Role"</legend>
                                {LEARNER_ROLES.into_iter().map(|r| {
                                    let reason = move || plan().and_then(|p| p.unavailable_reason(r));
                                    view! {
                                        <label class="radio" class:disabled=move || reason().is_some()>
                                            <input type="radio" name="role" value=r.as_str()
                                                prop:checked=move || role.get() == r
                                                disabled=move || reason().is_some()
                                                on:change=move |_| role.set(r)/>
                                            <span><strong>{r.label()}</strong><br/><span class="muted small">{r.description()}</span>
                                                {move || reason().map(|why| view! { <br/><span class="small unavailable">{why}</span> })}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <fieldset class="teams">
                                <legend>"Teams"</legend>
                                <Suspense fallback=|| view! { <p class="muted small">"Loading teams…"</p> }>
                                    {move || teams.get().map(|t| match t {
                                        Ok(list) if list.is_empty() => view! { <p class="muted small">"No teams yet. Create teams under \"Teams\" and they will be offered here."</p> }.into_any(),
                                        Ok(list) => {
                                            let many = list.len() > TEAM_FILTER_FROM;
                                            view! {
                                                {many.then(|| view! {
                                                    <input type="search" class="search team-filter" placeholder="Filter teams" aria-label="Filter teams"
                                                        prop:value=move || team_filter.get() on:input=move |ev| team_filter.set(event_target_value(&ev))/>
                                                })}
                                                <div class="team-choices">
                                                    {list.into_iter().map(|t| {
                                                        let id = t.id;
                                                        let lower = t.name.to_lowercase();
                                                        let hidden = move || {
                                                            let f = team_filter.get().trim().to_lowercase();
                                                            !f.is_empty() && !lower.contains(&f) && !chosen_teams.get().contains(&id)
                                                        };
                                                        view! {
                                                            <label class="checkbox" class:hidden=hidden>
                                                                <input type="checkbox" prop:checked=move || chosen_teams.get().contains(&id)
                                                                    on:change=move |ev| {
                                                                        let on = event_target_checked(&ev);
                                                                        chosen_teams.update(|c| if on { c.push(id) } else { c.retain(|x| *x != id) });
                                                                    }/>
                                                                <TeamBadge team=t/>
                                                            </label>
                                                        }
                                                    }).collect_view()}
                                                </div>
                                            }.into_any()
                                        }
                                        Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                                    })}
                                </Suspense>
                            </fieldset>
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=move || send_email.get() on:change=move |ev| send_email.set(event_target_checked(&ev))/>
                                {if from_team { "Send Email invitation" } else { "Send invitation email" }}
                            </label>
                            <p class="muted small">{move || if send_email.get() {
                                "Each person gets an email with a link that works for 14 days."
                            } else {
                                "No email is sent: share the academy link yourself; they sign up there with this email."
                            }}</p>
                            <div class="dialog-actions">
                                <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                                <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                                    {move || if action.pending().get() { "Inviting…" } else { "Invite" }}
                                </button>
                            </div>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
