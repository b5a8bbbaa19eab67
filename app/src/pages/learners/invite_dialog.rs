//! The "Invite Learners" dialog: one or several people typed in ("Add people") or a whole file
//! ("Upload CSV File"), with their role, teams and whether to email them.

use leptos::{ev, prelude::*};

use super::{
    csv_upload::CsvUpload,
    invite_options::{InviteOptions, InviteOptionsFields},
};
use crate::{
    api::invites::InviteLearners,
    components::{
        dialog::{Modal, Width},
        team_badge::TeamBadge,
    },
    domain::{email, invite::InviteeInput, names::PERSON_NAME_MAX_LEN, pasted_people},
    model::{InviteOutcome, InviteResult, TeamView},
};

#[derive(Clone, Copy)]
struct RowState {
    key: u32,
    email: RwSignal<String>,
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    /// The Email field was left: its address is checked.
    email_left: RwSignal<bool>,
    /// Focus left the row with something typed in it: the whole person is checked.
    row_left: RwSignal<bool>,
}

impl RowState {
    fn new(key: u32) -> RowState {
        RowState {
            key,
            email: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            email_left: RwSignal::new(false),
            row_left: RwSignal::new(false),
        }
    }

    fn input(&self) -> InviteeInput {
        InviteeInput {
            email: self.email.get(),
            first_name: self.first_name.get(),
            last_name: self.last_name.get(),
        }
    }

    /// What is wrong with the person typed so far, once the admin has moved past it (before
    /// "Invite", with the same rule the server applies). A row left empty is not a problem.
    fn problem(&self) -> Option<String> {
        let person = self.input();
        if person.email.trim().is_empty() && person.first_name.trim().is_empty() {
            return None;
        }
        if self.row_left.get() {
            return person.check().err();
        }
        if self.email_left.get() && !person.email.trim().is_empty() {
            return email::Email::parse(&person.email).err();
        }
        None
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
    let title = if team.is_some() {
        "Invite to team"
    } else {
        "Invite Learners"
    };
    let options = InviteOptions::new(team.as_ref().map(|t| t.id));
    let by_file = RwSignal::new(false);
    let file_tab_opened = RwSignal::new(false);
    let width = Signal::derive(move || {
        if by_file.get() {
            Width::Wide
        } else {
            Width::Normal
        }
    });
    view! {
        <Modal labelled_by="invite-title" on_close width testid="invite-dialog">
            <div class="dialog-head">
                <h2 id="invite-title">{title}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Close"
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </div>
            {team
                .clone()
                .map(|t| {
                    view! {
                        <p class="muted small dialog-sub">
                            "Into "<TeamBadge team=t />" — you can add more teams below."
                        </p>
                    }
                })}
            <div class="tabs tabs-small" role="tablist" aria-label="How to invite">
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    aria-selected=move || (!by_file.get()).to_string()
                    on:click=move |_| by_file.set(false)
                >
                    "Add people"
                </button>
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    aria-selected=move || by_file.get().to_string()
                    on:click=move |_| {
                        by_file.set(true);
                        file_tab_opened.set(true);
                    }
                >
                    "Upload CSV File"
                </button>
            </div>
            // Both stay mounted once shown, so switching tabs loses neither the typed people
            // nor the file's preview.
            <div hidden=move || by_file.get()>
                <PeopleForm options on_close on_sent />
            </div>
            <Show when=move || file_tab_opened.get()>
                <div hidden=move || !by_file.get()>
                    <CsvUpload options on_close on_sent />
                </div>
            </Show>
        </Modal>
    }
}

/// Focus moved from inside a person's row to somewhere outside it.
fn left_the_row(ev: &ev::FocusEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(row) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
    else {
        return false;
    };
    let to = ev
        .related_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    !to.is_some_and(|n| row.contains(Some(&n)))
}

/// "Add people": a few people typed in.
#[component]
fn PeopleForm(
    options: InviteOptions,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let next_key = RwSignal::new(1u32);
    let rows = RwSignal::new(vec![RowState::new(0)]);
    let action = ServerAction::<InviteLearners>::new();
    let value = action.value();
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
    // What the last pasted list filled in, and the lines it could not read.
    let pasted = RwSignal::new(None::<(usize, Vec<pasted_people::Unread>)>);
    // A list pasted into a row's Email field: the row takes the first person, new rows the others.
    let paste_list = move |at: u32, text: &str| {
        let (people, unread) = pasted_people::read(text);
        let mut fresh = Vec::new();
        for (i, p) in people.iter().enumerate() {
            let row = if i == 0 {
                rows.get_untracked().into_iter().find(|r| r.key == at)
            } else {
                let key = next_key.get_untracked();
                next_key.set(key + 1);
                let row = RowState::new(key);
                fresh.push(row);
                Some(row)
            };
            if let Some(row) = row {
                row.email.set(p.email.clone());
                row.first_name.set(p.first_name.clone());
                row.last_name.set(p.last_name.clone());
            }
        }
        rows.update(|r| {
            let after = r
                .iter()
                .position(|x| x.key == at)
                .map_or(r.len(), |i| i + 1);
            r.splice(after..after, fresh);
        });
        pasted.set(Some((people.len(), unread)));
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
            role: options.role.get_untracked(),
            team_ids: options.team_ids.get_untracked(),
            send_email: options.send_email.get_untracked(),
            from_team: options.from_team,
            message: options.message.get_untracked(),
        });
    };
    move || {
        match value.get() {
        Some(Ok(results)) => view! {
            <div class="results" data-testid="invite-results">
                <p>{format!("{} processed:", results.len())}</p>
                <ul class="result-list">
                    {results
                        .iter()
                        .map(|r| {
                            let (kind, text) = outcome_text(r);
                            view! {
                                <li class=format!("result result-{kind}")>
                                    <strong>{r.email.clone()}</strong>
                                    " — "
                                    {text}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="dialog-actions">
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            value.set(None);
                        }
                    >
                        "Invite more"
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        on:click=move |_| on_close.run(())
                    >
                        "Done"
                    </button>
                </div>
            </div>
        }.into_any(),
        _ => view! {
            <form on:submit=submit novalidate>
                {move || {
                    value
                        .get()
                        .and_then(|r| r.err())
                        .map(|e| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {e.to_string()}
                                </div>
                            }
                        })
                }}
                <fieldset class="people">
                    <legend>"People"</legend>
                    <For each=move || rows.get() key=|r| r.key let:row>
                        <div
                            class="person-row"
                            class:invalid=move || row.problem().is_some()
                            on:focusout=move |ev: ev::FocusEvent| {
                                if !left_the_row(&ev) {
                                    return;
                                }
                                let typed = !row.email.get_untracked().trim().is_empty()
                                    || !row.first_name.get_untracked().trim().is_empty();
                                if typed {
                                    row.row_left.set(true);
                                }
                            }
                        >
                            <input
                                type="email"
                                placeholder="Email"
                                aria-label="Email"
                                maxlength=email::MAX_LEN
                                autofocus=move || row.key == 0
                                prop:value=move || row.email.get()
                                aria-invalid=move || row.problem().is_some().then_some("true")
                                aria-describedby=move || {
                                    row.problem().map(|_| format!("person-{}-problem", row.key))
                                }
                                on:blur=move |ev| {
                                    if !event_target_value(&ev).trim().is_empty() {
                                        row.email_left.set(true)
                                    }
                                }
                                on:input=move |ev| row.email.set(event_target_value(&ev))
                                on:paste=move |ev: ev::ClipboardEvent| {
                                    let text = ev
                                        .clipboard_data()
                                        .and_then(|d| d.get_data("text/plain").ok())
                                        .unwrap_or_default();
                                    if pasted_people::is_list(&text) {
                                        ev.prevent_default();
                                        paste_list(row.key, &text);
                                    }
                                }
                            />
                            <input
                                type="text"
                                placeholder="First name"
                                aria-label="First name"
                                maxlength=PERSON_NAME_MAX_LEN
                                prop:value=move || row.first_name.get()
                                on:input=move |ev| row.first_name.set(event_target_value(&ev))
                            />
                            <input
                                type="text"
                                placeholder="Last name"
                                aria-label="Last name"
                                maxlength=PERSON_NAME_MAX_LEN
                                prop:value=move || row.last_name.get()
                                on:input=move |ev| row.last_name.set(event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class="icon-button"
                                aria-label="Remove this person"
                                disabled=move || rows.get().len() <= 1
                                on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))
                            >
                                "−"
                            </button>
                        </div>
                        {move || {
                            row.problem()
                                .map(|why| {
                                    view! {
                                        <p
                                            class="field-error person-problem"
                                            id=format!("person-{}-problem", row.key)
                                            data-testid="person-problem"
                                        >
                                            {why}
                                        </p>
                                    }
                                })
                        }}
                    </For>
                    <button type="button" class="link-button" on:click=add_row>
                        "+ Add another person"
                    </button>
                    <p class="muted small">
                        "Have a list? Paste it into an Email field, one person per line: "
                        <code>"ann@example.com"</code>", "<code>"Ann Lee <ann@example.com>"</code>
                        " or "<code>"ann@example.com, Ann, Lee"</code>"."
                    </p>
                    {move || {
                        pasted
                            .get()
                            .map(|(filled, unread)| {
                                let class = if unread.is_empty() {
                                    "small"
                                } else {
                                    "small field-error"
                                };
                                let summary = format!(
                                    "Filled in {} from the pasted list.{}",
                                    crate::format::count(filled as i64, "person", "people"),
                                    if unread.is_empty() {
                                        String::new()
                                    } else {
                                        format!(
                                            " {} could not be read:",
                                            crate::format::count(unread.len() as i64, "line", "lines"),
                                        )
                                    },
                                );
                                view! {
                                    <div role="status" data-testid="paste-result" class=class>
                                        <p>{summary}</p>
                                        {(!unread.is_empty())
                                            .then(|| {
                                                view! {
                                                    <ul>
                                                        {unread
                                                            .into_iter()
                                                            .map(|u| {
                                                                view! {
                                                                    <li>
                                                                        {format!("Line {} ({:?}): {}", u.line, u.text, u.reason)}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                            })}
                                    </div>
                                }
                            })
                    }}
                </fieldset>
                <InviteOptionsFields options />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || action.pending().get()
                    >
                        {move || if action.pending().get() { "Inviting…" } else { "Invite" }}
                    </button>
                </div>
            </form>
        }.into_any(),
    }
    }
}
