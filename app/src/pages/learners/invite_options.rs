//! What applies to everyone invited at once, by the form or by a file: their role, their teams,
//! whether they get an email and the personal message in it.

use leptos::prelude::*;

use crate::domain::TeamId;
use crate::{
    api::{settings::invite_message_default, teams::list_teams},
    components::{nav::use_academy, team_badge::TeamBadge},
    domain::{
        csv_import::thousands,
        invite::AcademyLinkClaim,
        invite_message::{MESSAGE_MAX_CHARS, PersonalMessage},
        role::{LEARNER_ROLES, Role},
    },
};

/// Above this many teams the picker gets a filter box.
const TEAM_FILTER_FROM: usize = 8;

#[derive(Clone, Copy)]
pub struct InviteOptions {
    pub role: RwSignal<Role>,
    pub team_ids: RwSignal<Vec<TeamId>>,
    pub send_email: RwSignal<bool>,
    /// The batch's personal message as typed; `None` until the admin edits it (the server then
    /// uses the academy's default, which the field shows).
    pub message: RwSignal<Option<String>>,
    /// "Invite to team": the invitations count as coming from the team.
    pub from_team: bool,
}

impl InviteOptions {
    pub fn new(team: Option<TeamId>) -> InviteOptions {
        InviteOptions {
            role: RwSignal::new(Role::Learner),
            team_ids: RwSignal::new(team.into_iter().collect()),
            send_email: RwSignal::new(true),
            message: RwSignal::new(None),
            from_team: team.is_some(),
        }
    }
}

/// The role, teams and email fields.
#[component]
pub fn InviteOptionsFields(options: InviteOptions) -> impl IntoView {
    let InviteOptions {
        role,
        team_ids,
        send_email,
        message,
        ..
    } = options;
    let academy_plan = use_academy().academy.plan;
    let team_filter = RwSignal::new(String::new());
    let teams = Resource::new(|| (), |_| list_teams());
    view! {
        <fieldset class="roles">
            <legend>"Role"</legend>
            {LEARNER_ROLES
                .into_iter()
                .map(|r| {
                    let reason = move || academy_plan.unavailable_reason(r);
                    view! {
                        <label class="radio" class:disabled=move || reason().is_some()>
                            <input
                                type="radio"
                                name="role"
                                value=r.as_str()
                                prop:checked=move || role.get() == r
                                disabled=move || reason().is_some()
                                on:change=move |_| role.set(r)
                            />
                            <span>
                                <strong>{r.label()}</strong>
                                <br />
                                <span class="muted small">{r.description()}</span>
                                {move || {
                                    reason()
                                        .map(|why| {
                                            view! {
                                                <br />
                                                <span class="small unavailable">{why}</span>
                                            }
                                        })
                                }}
                            </span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <fieldset class="teams">
            <legend>"Teams"</legend>
            <Suspense fallback=|| {
                view! { <p class="muted small">"Loading teams…"</p> }
            }>
                {move || {
                    teams
                        .get()
                        .map(|t| match t {
                            Ok(list) if list.is_empty() => {
                                view! {
                                    <p class="muted small">
                                        "No teams yet. Create teams under \"Teams\" and they will be offered here."
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(list) => {
                                let many = list.len() > TEAM_FILTER_FROM;
                                view! {
                                    {many
                                        .then(|| {
                                            view! {
                                                <input
                                                    type="search"
                                                    class="search team-filter"
                                                    placeholder="Filter teams"
                                                    aria-label="Filter teams"
                                                    prop:value=move || team_filter.get()
                                                    on:input=move |ev| team_filter.set(event_target_value(&ev))
                                                />
                                            }
                                        })}
                                    <div class="team-choices">
                                        {list
                                            .into_iter()
                                            .map(|t| {
                                                let id = t.id;
                                                let lower = t.name.to_lowercase();
                                                let hidden = move || {
                                                    let f = team_filter.get().trim().to_lowercase();
                                                    !f.is_empty() && !lower.contains(&f)
                                                        && !team_ids.get().contains(&id)
                                                };
                                                view! {
                                                    <label class="checkbox" class:hidden=hidden>
                                                        <input
                                                            type="checkbox"
                                                            prop:checked=move || team_ids.get().contains(&id)
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                team_ids
                                                                    .update(|c| {
                                                                        if on { c.push(id) } else { c.retain(|x| *x != id) }
                                                                    });
                                                            }
                                                        />
                                                        <TeamBadge team=t />
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! { <p class="field-error">{e.to_string()}</p> }.into_any()
                            }
                        })
                }}
            </Suspense>
        </fieldset>
        <label class="checkbox">
            <input
                type="checkbox"
                prop:checked=move || send_email.get()
                on:change=move |ev| send_email.set(event_target_checked(&ev))
            />
            "Send invitation email"
        </label>
        <Show when=move || send_email.get()>
            <MessageField message />
        </Show>
        <p class="muted small" data-testid="claim-hint">
            {move || {
                let lifetime = crate::components::nav::use_academy()
                    .academy
                    .invite_lifecycle
                    .link_lifetime();
                let claim = AcademyLinkClaim::of(role.get(), send_email.get());
                match (send_email.get(), claim) {
                    (true, claim) => {
                        format!(
                            "Each person gets an email with a link that {lifetime}. {}",
                            claim.explained(),
                        )
                    }
                    (false, AcademyLinkClaim::Code) => {
                        format!(
                            "No email is sent: share the academy link yourself. {}",
                            claim.explained(),
                        )
                    }
                    (false, claim) => claim.explained().to_string(),
                }
            }}
        </p>
    }
}

/// "Personal message": starts as the academy's default (Settings → Invitations); what the admin
/// writes goes to this batch only.
#[component]
fn MessageField(message: RwSignal<Option<String>>) -> impl IntoView {
    // The default, fetched once the dialog is open (no resource: nothing around waits for it).
    let default = RwSignal::new(String::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(text) = invite_message_default().await {
                let _ = default.try_set(text);
            }
        });
    });
    let text = move || message.get().unwrap_or_else(|| default.get());
    let problem = move || message.get().and_then(|m| PersonalMessage::parse(&m).err());
    let count = move || {
        let n = text().chars().count();
        format!("{} / {}", thousands(n), thousands(MESSAGE_MAX_CHARS))
    };
    view! {
        <div class="field message-field" class:invalid=move || problem().is_some()>
            <label for="invite-message">
                "Personal message "<span class="optional">"(optional)"</span>
            </label>
            <textarea
                id="invite-message"
                name="message"
                rows="3"
                maxlength=MESSAGE_MAX_CHARS
                data-testid="invite-message"
                placeholder="A few words from you, shown above the link in the email"
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby="invite-message-hint"
                prop:value=text
                on:input=move |ev| message.set(Some(event_target_value(&ev)))
            ></textarea>
            <p id="invite-message-hint" class="hint counter">
                <span>
                    "Starts with the academy's default (Settings → Invitations); changes here go to these invitations only."
                </span>
                <span>{count}</span>
            </p>
            {move || {
                problem()
                    .map(|why| {
                        view! {
                            <p class="field-error" role="alert">
                                {why}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
