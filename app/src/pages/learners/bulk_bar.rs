//! Bulk actions on a list: a checkbox per row and one for the page, "Select all N matching" across
//! pages (the list's search and filter), and a bar that applies one action to the selection after
//! one confirmation naming the count, then says what came of it.

use leptos::prelude::*;

use super::bulk_progress::{BulkProgressLine, new_key};
use crate::domain::{InviteId, TeamId, UserId};
use crate::{
    api::bulk::{BulkInvites, BulkLearners},
    components::{dialog::ConfirmDialog, field::failure, notice::Notice},
    domain::{
        role::{LEARNER_ROLES, Plan},
        statistics::thousands,
    },
    model::{
        ListQuery, TeamView,
        bulk::{BulkSummary, InviteBulk, LearnerBulk, Selection},
    },
};

/// What a row of a list with bulk actions is known by: a learner's or an invitation's id.
pub trait RowId: Copy + PartialEq + Send + Sync + 'static {}
impl<Id: Copy + PartialEq + Send + Sync + 'static> RowId for Id {}

/// The rows ticked on a list, or every row that matches it.
#[derive(Clone, Copy)]
pub struct Picked<Id: RowId> {
    ids: RwSignal<Vec<Id>>,
    /// "Select all N matching": every row on every page.
    every: RwSignal<bool>,
    /// The rows on screen, for the page's checkbox.
    page: RwSignal<Vec<Id>>,
}

impl<Id: RowId> Picked<Id> {
    pub fn new() -> Picked<Id> {
        Picked {
            ids: RwSignal::new(vec![]),
            every: RwSignal::new(false),
            page: RwSignal::new(vec![]),
        }
    }

    /// The rows now on screen (called when the page loads).
    pub fn show(self, ids: Vec<Id>) {
        self.page.set(ids);
    }

    pub fn clear(self) {
        self.ids.set(vec![]);
        self.every.set(false);
    }

    fn has(self, id: Id) -> bool {
        self.every.get() || self.ids.with(|ids| ids.contains(&id))
    }

    fn toggle(self, id: Id, on: bool) {
        if self.every.get_untracked() {
            // Unticking one row of "every row": the rows on screen stay ticked but that one.
            self.every.set(false);
            self.ids.set(self.page.get_untracked());
        }
        self.ids.update(|ids| {
            ids.retain(|x| *x != id);
            if on {
                ids.push(id);
            }
        });
    }

    fn whole_page(self) -> bool {
        let page = self.page.get();
        !page.is_empty()
            && (self.every.get() || self.ids.with(|ids| page.iter().all(|id| ids.contains(id))))
    }

    fn tick_page(self, on: bool) {
        let page = self.page.get_untracked();
        self.every.set(false);
        self.ids.update(|ids| {
            ids.retain(|id| !page.contains(id));
            if on {
                ids.extend(page);
            }
        });
    }

    fn count(self, total: i64) -> i64 {
        if self.every.get() {
            total
        } else {
            self.ids.with(|ids| ids.len() as i64)
        }
    }

    fn selection(self, query: ListQuery) -> Selection<Id> {
        if self.every.get_untracked() {
            Selection::Matching(query)
        } else {
            Selection::Rows(self.ids.get_untracked())
        }
    }
}

/// A row's checkbox.
#[component]
pub fn PickCell<Id: RowId>(
    picked: Picked<Id>,
    id: Id,
    #[prop(into)] label: String,
) -> impl IntoView {
    view! {
        <td class="pick">
            <input
                type="checkbox"
                aria-label=label
                data-testid="pick-row"
                prop:checked=move || picked.has(id)
                on:change=move |ev| picked.toggle(id, event_target_checked(&ev))
            />
        </td>
    }
}

/// The header's checkbox: every row on this page.
#[component]
pub fn PickPageCell<Id: RowId>(picked: Picked<Id>) -> impl IntoView {
    view! {
        <th class="pick">
            <input
                type="checkbox"
                aria-label="Select every row on this page"
                data-testid="pick-page"
                prop:checked=move || picked.whole_page()
                on:change=move |ev| picked.tick_page(event_target_checked(&ev))
            />
        </th>
    }
}

/// The confirmation a bar waits for.
#[derive(Clone, Debug, PartialEq)]
struct Asking {
    title: String,
    text: &'static str,
    yes: &'static str,
}

/// The bar itself: how many are selected, "Select all N matching", the actions and the
/// confirmation. `choices` are `(value, label, group)`; `ask` turns the chosen value into its
/// confirmation; `run` does it.
#[component]
fn BulkBar<Id: RowId>(
    picked: Picked<Id>,
    total: Signal<i64>,
    /// "learners", "invitations".
    many: &'static str,
    #[prop(into)] choices: Signal<Vec<(String, String, &'static str)>>,
    ask: Callback<(String, i64), Option<Asking>>,
    run: Callback<String>,
    busy: Signal<bool>,
    /// The running action's key, for its progress.
    key: Signal<String>,
    error: Signal<Option<String>>,
    asking: RwSignal<Option<(String, Asking)>>,
) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    let count = move || picked.count(total.get());
    let groups = move || {
        let mut groups: Vec<(&'static str, Vec<(String, String)>)> = vec![];
        for (value, label, group) in choices.get() {
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, items)) => items.push((value, label)),
                None => groups.push((group, vec![(value, label)])),
            }
        }
        groups
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="region" aria-label="Selected rows" data-testid="bulk-bar">
                <span class="bulk-count" data-testid="bulk-count">
                    {move || format!("{} selected", thousands(count()))}
                </span>
                {move || {
                    let total = total.get();
                    if picked.every.get() {
                        view! {
                            <span class="muted small">
                                {format!("All {} matching {many} are selected.", thousands(total))}
                            </span>
                        }
                            .into_any()
                    } else if picked.whole_page() && total > picked.page.with(|p| p.len() as i64) {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                data-testid="select-all-matching"
                                on:click=move |_| picked.every.set(true)
                            >
                                {format!("Select all {} matching {many}", thousands(total))}
                            </button>
                        }
                            .into_any()
                    } else {
                        ().into_any()
                    }
                }}
                <button type="button" class="link-button" on:click=move |_| picked.clear()>
                    "Clear selection"
                </button>
                <span class="bulk-actions">
                    <select
                        aria-label="Action for the selected rows"
                        data-testid="bulk-action"
                        prop:value=move || choice.get()
                        on:change=move |ev| choice.set(event_target_value(&ev))
                    >
                        <option value="">"Choose an action…"</option>
                        {move || {
                            groups()
                                .into_iter()
                                .map(|(group, items)| {
                                    view! {
                                        <optgroup label=group>
                                            {items
                                                .into_iter()
                                                .map(|(value, label)| {
                                                    view! { <option value=value>{label}</option> }
                                                })
                                                .collect_view()}
                                        </optgroup>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <button
                        type="button"
                        class="button"
                        data-testid="bulk-apply"
                        disabled=move || choice.get().is_empty()
                        on:click=move |_| {
                            let value = choice.get_untracked();
                            if let Some(a) = ask.run((value.clone(), count())) {
                                asking.set(Some((value, a)));
                            }
                        }
                    >
                        "Apply…"
                    </button>
                </span>
            </div>
        </Show>
        {move || {
            asking
                .get()
                .map(|(value, a)| {
                    let n = count();
                    view! {
                        <ConfirmDialog
                            title=a.title
                            text=a.text
                            yes=a.yes
                            busy
                            error
                            on_yes=Callback::new(move |_| run.run(value.clone()))
                            on_cancel=Callback::new(move |_| asking.set(None))
                        >
                            {move || {
                                busy.get()
                                    .then(|| {
                                        view! {
                                            <BulkProgressLine key=key.get_untracked() n many />
                                        }
                                    })
                            }}
                        </ConfirmDialog>
                    }
                })
        }}
    }
}

fn learner_choice(value: &str) -> Option<LearnerBulk> {
    let (kind, arg) = value.split_once(':').unwrap_or((value, ""));
    Some(match kind {
        "revoke" => LearnerBulk::RevokeAccess,
        "give" => LearnerBulk::GiveAccess,
        "role" => LearnerBulk::SetRole(crate::domain::role::Role::parse(arg).ok()?),
        "add" => LearnerBulk::AddToTeam(arg.parse().ok()?),
        "leave" => LearnerBulk::RemoveFromTeam(arg.parse().ok()?),
        "remove" => LearnerBulk::Remove,
        _ => return None,
    })
}

/// All Learners' bar: access, role, teams, removal.
#[component]
pub fn LearnerBulkBar(
    picked: Picked<UserId>,
    total: Signal<i64>,
    query: Signal<ListQuery>,
    teams: Signal<Vec<TeamView>>,
    plan: Signal<Option<Plan>>,
    action: ServerAction<BulkLearners>,
    notice: Notice,
) -> impl IntoView {
    let asking = RwSignal::new(None::<(String, Asking)>);
    let last = RwSignal::new(None::<LearnerBulk>);
    let key = RwSignal::new(String::new());
    let choices = move || {
        let mut out: Vec<(String, String, &'static str)> = vec![
            ("revoke".into(), "Revoke access".into(), "Access"),
            ("give".into(), "Give access back".into(), "Access"),
        ];
        for role in LEARNER_ROLES {
            if plan
                .get()
                .and_then(|p| p.unavailable_reason(role))
                .is_none()
            {
                out.push((
                    format!("role:{}", role.as_str()),
                    role.label().into(),
                    "Change role to",
                ));
            }
        }
        for team in teams.get() {
            out.push((format!("add:{}", team.id), team.name.clone(), "Add to team"));
        }
        for team in teams.get() {
            out.push((format!("leave:{}", team.id), team.name, "Remove from team"));
        }
        out.push(("remove".into(), "Remove from the academy…".into(), "Remove"));
        out
    };
    let team_name = move |id: TeamId| {
        teams
            .get_untracked()
            .into_iter()
            .find(|t| t.id == id)
            .map(|t| t.name)
            .unwrap_or_default()
    };
    let ask = Callback::new(move |(value, n): (String, i64)| {
        let chosen = learner_choice(&value)?;
        let team = match chosen {
            LearnerBulk::AddToTeam(id) | LearnerBulk::RemoveFromTeam(id) => team_name(id),
            _ => String::new(),
        };
        Some(Asking {
            title: chosen.question(n as u64, &team),
            text: chosen.consequence(),
            yes: chosen.yes(),
        })
    });
    let run = Callback::new(move |value: String| {
        if let Some(chosen) = learner_choice(&value) {
            last.set(Some(chosen));
            key.set(new_key());
            action.dispatch(BulkLearners {
                selection: picked.selection(query.get_untracked()),
                action: chosen,
                key: Some(key.get_untracked()),
            });
        }
    });
    notice.follow(action.value(), move |summary: BulkSummary| {
        asking.set(None);
        picked.clear();
        last.get_untracked()
            .map(|chosen| summary.sentence(chosen.done(), "learner", "learners"))
    });
    view! {
        <BulkBar
            picked
            total
            many="learners"
            choices=Signal::derive(choices)
            ask
            run
            busy=action.pending().into()
            key=key.into()
            error=failure(action.value())
            asking
        />
    }
}

/// The Invites tab's bar: resend, revoke.
#[component]
pub fn InviteBulkBar(
    picked: Picked<InviteId>,
    total: Signal<i64>,
    query: Signal<ListQuery>,
    action: ServerAction<BulkInvites>,
    notice: Notice,
) -> impl IntoView {
    let asking = RwSignal::new(None::<(String, Asking)>);
    let last = RwSignal::new(None::<InviteBulk>);
    let key = RwSignal::new(String::new());
    let chosen = |value: &str| match value {
        "resend" => Some(InviteBulk::Resend),
        "revoke" => Some(InviteBulk::Revoke),
        _ => None,
    };
    let choices = vec![
        ("resend".to_string(), "Resend".to_string(), "Invitations"),
        ("revoke".to_string(), "Revoke".to_string(), "Invitations"),
    ];
    let ask = Callback::new(move |(value, n): (String, i64)| {
        let c = chosen(&value)?;
        Some(Asking {
            title: c.question(n as u64),
            text: c.consequence(),
            yes: c.yes(),
        })
    });
    let run = Callback::new(move |value: String| {
        if let Some(c) = chosen(&value) {
            last.set(Some(c));
            key.set(new_key());
            action.dispatch(BulkInvites {
                selection: picked.selection(query.get_untracked()),
                action: c,
                key: Some(key.get_untracked()),
            });
        }
    });
    notice.follow(action.value(), move |summary: BulkSummary| {
        asking.set(None);
        picked.clear();
        last.get_untracked()
            .map(|c| summary.sentence(c.done(), "invitation", "invitations"))
    });
    view! {
        <BulkBar
            picked
            total
            many="invitations"
            choices=Signal::stored(choices)
            ask
            run
            busy=action.pending().into()
            key=key.into()
            error=failure(action.value())
            asking
        />
    }
}
