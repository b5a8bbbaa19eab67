//! "Access Requests": who asked to join the private academy ("Pending"), and who was turned away
//! ("Declined", where a request can still be approved). Approving picks a role and teams with the
//! same rules as "Invite Learners"; declining may email the person, with a reason.

use leptos::{ev, prelude::*};

use super::Pager;
use crate::domain::TeamId;
use crate::{
    api::{
        access_requests::{ApproveAccessRequest, DeclineAccessRequest, list_access_requests},
        teams::list_teams,
    },
    components::{
        dialog::{Modal, Width},
        field::FormAlert,
        nav::use_academy,
        notice::{Notice, NoticeLine},
        team_badge::TeamBadge,
    },
    domain::{
        access_request::{RequestStatus, Visibility},
        role::{LEARNER_ROLES, Role},
    },
    format,
    model::{access_requests::AccessRequestView, display_name},
};

/// Messages longer than this fold behind "Show all".
const FOLD_FROM: usize = 180;

/// The request an administrator is answering, and how.
#[derive(Clone)]
enum Answer {
    Approve(AccessRequestView),
    Decline(AccessRequestView),
}

#[component]
pub fn AccessRequestsTab() -> impl IntoView {
    let private = use_academy().academy.visibility == Visibility::Private;
    let status = RwSignal::new(RequestStatus::Pending);
    let page = RwSignal::new(1u32);
    let approve = ServerAction::<ApproveAccessRequest>::new();
    let decline = ServerAction::<DeclineAccessRequest>::new();
    let answering = RwSignal::new(None::<Answer>);
    // The success line of the last decline, written when it was sent (it names the person).
    let declined_news = StoredValue::new(String::new());
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after each answer.
    let data = Resource::new(
        move || {
            let reloads = (approve.version().get(), decline.version().get());
            (status.get(), page.get(), reloads)
        },
        |(status, page, _)| list_access_requests(status, page),
    );
    // Failures show in the dialog; successes close it and show here.
    Effect::new(move |_| {
        if let Some(Ok(done)) = approve.value().get() {
            answering.set(None);
            notice.info(done.notice());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = decline.value().get() {
            answering.set(None);
            notice.info(declined_news.get_value());
        }
    });
    let loaded = move || data.get().and_then(|r| r.ok());
    let count = move |s: RequestStatus| {
        move || {
            loaded()
                .map(|l| match s {
                    RequestStatus::Declined => l.declined,
                    _ => l.pending,
                })
                .map(|n| n.to_string())
                .unwrap_or_default()
        }
    };
    let pages = Signal::derive(move || loaded().map(|l| l.page.pages()).unwrap_or(1));
    let tab = move |s: RequestStatus, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=format!("requests-tab-{}", s.as_str())
                aria-selected=move || (status.get() == s).to_string()
                on:click=move |_| {
                    status.set(s);
                    page.set(1);
                }
            >
                {label}
                " "
                <span class="tab-count">{count(s)}</span>
            </button>
        }
    };
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading access requests…"</p> }>
            <div class="tabs tabs-small" role="tablist" aria-label="Access requests">
                {tab(RequestStatus::Pending, "Pending")}
                {tab(RequestStatus::Declined, "Declined")}
            </div>
            <NoticeLine notice test_id="requests-notice" />
            <Pager page pages />
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
                Some(Ok(l)) if l.page.rows.is_empty() => {
                    empty_state(status.get_untracked(), private).into_any()
                }
                Some(Ok(l)) => {
                    let declined = status.get_untracked() == RequestStatus::Declined;
                    view! {
                        <div class="table-wrap">
                            <table class="table requests-table" data-testid="requests-table">
                                <thead>
                                    <tr>
                                        <th>"Name"</th>
                                        <th>"Email"</th>
                                        <th>"Message"</th>
                                        <th>"Requested"</th>
                                        {declined.then(|| view! { <th>"Declined"</th> })}
                                        <th>
                                            <span class="sr-only">"Actions"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {l
                                        .page
                                        .rows
                                        .into_iter()
                                        .map(|r| view! { <RequestRow request=r answering /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(!declined)
                            .then(|| {
                                view! {
                                    <p class="muted small">
                                        "Approving sends an invitation email — or, when the person set a password with the request, creates their account at once. Declined requests stay under Declined, where they can still be approved."
                                    </p>
                                }
                            })}
                    }
                        .into_any()
                }
            }}
        </Transition>
        {move || {
            answering
                .get()
                .map(|a| match a {
                    Answer::Approve(r) => {
                        view! { <ApproveDialog request=r approve answering /> }.into_any()
                    }
                    Answer::Decline(r) => {
                        view! { <DeclineDialog request=r decline answering declined_news /> }
                            .into_any()
                    }
                })
        }}
    }
}

fn empty_state(status: RequestStatus, private: bool) -> impl IntoView {
    let (title, text) = match (status, private) {
        (RequestStatus::Declined, _) => (
            "No declined requests",
            "Requests you decline are kept here, with who declined them and when, so you can still approve them later.",
        ),
        (_, true) => (
            "No access requests waiting",
            "Your academy is private: people without an invitation can ask to join at the academy link. Their requests wait here for you to approve or decline.",
        ),
        (_, false) => (
            "Your academy is public",
            "Anyone with the academy link signs up as a Learner, so nobody needs to ask. To review who joins, make the academy private in Settings → General → Visibility.",
        ),
    };
    view! {
        <section class="empty-state" data-testid="requests-empty">
            <h2>{title}</h2>
            <p>{text}</p>
        </section>
    }
}

#[component]
fn RequestRow(request: AccessRequestView, answering: RwSignal<Option<Answer>>) -> impl IntoView {
    let name = display_name(&request.first_name, &request.last_name, &request.email);
    let declined = request.status == RequestStatus::Declined;
    let updated = request.updated_at > request.requested_at && !declined;
    let message = request.message.clone();
    let folded = message.chars().count() > FOLD_FROM;
    let approve_label = format!("Approve {name}");
    let decline_label = format!("Decline {name}");
    let for_approve = request.clone();
    let for_decline = request.clone();
    view! {
        <tr data-testid="request-row" data-email=request.email.clone()>
            <td>
                <span class="request-name">{name.clone()}</span>
            </td>
            <td>{request.email.clone()}</td>
            <td class="request-message">
                {if message.is_empty() {
                    view! { <span class="muted">"—"</span> }.into_any()
                } else if folded {
                    let head: String = message.chars().take(FOLD_FROM).collect();
                    view! {
                        <details>
                            <summary>
                                {format!("{}…", head.trim_end())}
                                <span class="link-like small">" Show all"</span>
                            </summary>
                            <p class="request-message-full">{message.clone()}</p>
                        </details>
                    }
                        .into_any()
                } else {
                    view! { <span class="request-message-text">{message.clone()}</span> }.into_any()
                }}
            </td>
            <td>
                <span class="nowrap">{format::date(request.requested_at)}</span>
                {updated
                    .then(|| {
                        view! {
                            <br />
                            <span class="muted small nowrap">
                                {format!("asked again {}", format::date(request.updated_at))}
                            </span>
                        }
                    })}
            </td>
            {declined
                .then(|| {
                    view! {
                        <td>
                            <span class="nowrap">
                                {request.decided_at.map(format::date).unwrap_or_default()}
                            </span>
                            {request
                                .decided_by
                                .clone()
                                .map(|by| {
                                    view! {
                                        <br />
                                        <span class="muted small">{format!("by {by}")}</span>
                                    }
                                })}
                            {request
                                .decline_reason
                                .clone()
                                .map(|why| {
                                    view! {
                                        <br />
                                        <span class="small decline-reason">
                                            {format!("“{why}”")}
                                        </span>
                                    }
                                })}
                        </td>
                    }
                })}
            <td class="actions">
                <div class="row-buttons">
                    <button
                        type="button"
                        class="button button-small button-primary"
                        aria-label=approve_label
                        data-testid="approve-request"
                        on:click=move |_| answering.set(Some(Answer::Approve(for_approve.clone())))
                    >
                        "Approve"
                    </button>
                    {(!declined)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-small button-danger-outline"
                                    aria-label=decline_label
                                    data-testid="decline-request"
                                    on:click=move |_| {
                                        answering.set(Some(Answer::Decline(for_decline.clone())))
                                    }
                                >
                                    "Decline"
                                </button>
                            }
                        })}
                </div>
            </td>
        </tr>
    }
}

/// The dialog frame: title, who, Escape and × to close.
#[component]
fn Dialog(
    title: &'static str,
    request: AccessRequestView,
    answering: RwSignal<Option<Answer>>,
    children: Children,
) -> impl IntoView {
    let name = display_name(&request.first_name, &request.last_name, &request.email);
    let close = Callback::new(move |_| answering.set(None));
    view! {
        <Modal labelled_by="answer-title" on_close=close width=Width::Narrow testid="answer-dialog">
            <div class="dialog-head">
                <h2 id="answer-title">{title}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Close"
                    on:click=move |_| answering.set(None)
                >
                    "×"
                </button>
            </div>
            <p class="dialog-sub">
                <strong>{name}</strong>
                " · "
                {request.email.clone()}
            </p>
            {children()}
        </Modal>
    }
}

#[component]
fn ApproveDialog(
    request: AccessRequestView,
    approve: ServerAction<ApproveAccessRequest>,
    answering: RwSignal<Option<Answer>>,
) -> impl IntoView {
    // A failure of an earlier dialog is not this one's.
    approve.value().set(None);
    let plan = use_academy().academy.plan;
    let role = RwSignal::new(Role::Learner);
    let team_ids = RwSignal::new(Vec::<TeamId>::new());
    // The dialog opens on a click: loaded in the browser.
    let teams = LocalResource::new(list_teams);
    let id = request.id;
    let what = format!(
        "They get an invitation email with a link to choose a password (it {}), and appear under Invites until they register.",
        use_academy().academy.invite_lifecycle.link_lifetime()
    );
    let error = Signal::derive(move || match approve.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        approve.dispatch(ApproveAccessRequest {
            request_id: id,
            role: role.get_untracked(),
            team_ids: team_ids.get_untracked(),
        });
    };
    view! {
        <Dialog title="Approve access" request answering>
            <p class="muted small">{what}</p>
            <form on:submit=submit>
                <FormAlert message=error />
                <fieldset class="roles">
                    <legend>"Role"</legend>
                    {LEARNER_ROLES
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let reason = plan.unavailable_reason(r);
                            view! {
                                <label class="radio" class:disabled=reason.is_some()>
                                    <input
                                        type="radio"
                                        name="approve-role"
                                        value=r.as_str()
                                        autofocus=i == 0
                                        prop:checked=move || role.get() == r
                                        disabled=reason.is_some()
                                        on:change=move |_| role.set(r)
                                    />
                                    <span>
                                        <strong>{r.label()}</strong>
                                        <br />
                                        <span class="muted small">{r.description()}</span>
                                        {reason
                                            .map(|why| {
                                                view! {
                                                    <br />
                                                    <span class="small unavailable">{why}</span>
                                                }
                                            })}
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <fieldset class="teams">
                    <legend>"Teams"</legend>
                    {move || match teams.get() {
                        None => view! { <p class="muted small">"Loading teams…"</p> }.into_any(),
                        Some(Err(e)) => {
                            view! { <p class="field-error">{e.to_string()}</p> }.into_any()
                        }
                        Some(Ok(list)) if list.is_empty() => {
                            view! {
                                <p class="muted small">
                                    "No teams yet. Create teams under \"Teams\" and they will be offered here."
                                </p>
                            }
                                .into_any()
                        }
                        Some(Ok(list)) => {
                            view! {
                                <div class="team-choices">
                                    {list
                                        .into_iter()
                                        .map(|t| {
                                            let tid = t.id;
                                            view! {
                                                <label class="checkbox">
                                                    <input
                                                        type="checkbox"
                                                        prop:checked=move || team_ids.get().contains(&tid)
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            team_ids
                                                                .update(|c| {
                                                                    if on { c.push(tid) } else { c.retain(|x| *x != tid) }
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
                    }}
                </fieldset>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| answering.set(None)>
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="button button-primary"
                        data-testid="confirm-approve"
                        disabled=move || approve.pending().get()
                    >
                        {move || if approve.pending().get() { "Approving…" } else { "Approve" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn DeclineDialog(
    request: AccessRequestView,
    decline: ServerAction<DeclineAccessRequest>,
    answering: RwSignal<Option<Answer>>,
    declined_news: StoredValue<String>,
) -> impl IntoView {
    decline.value().set(None);
    let send_email = RwSignal::new(true);
    let reason = RwSignal::new(String::new());
    let id = request.id;
    let name = display_name(&request.first_name, &request.last_name, &request.email);
    let error = Signal::derive(move || match decline.value().get() {
        Some(Err(e)) if !e.is_field_error() => Some(e.to_string()),
        _ => None,
    });
    let reason_error = Signal::derive(move || match decline.value().get() {
        Some(Err(e)) => e.field_message("reason"),
        _ => None,
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let emailed = send_email.get_untracked();
        declined_news.set_value(if emailed {
            format!("Declined: {name} gets an email. The request is under Declined, where you can still approve it.")
        } else {
            format!("Declined: {name} was not emailed. The request is under Declined, where you can still approve it.")
        });
        decline.dispatch(DeclineAccessRequest {
            request_id: id,
            send_email: emailed,
            reason: reason.get_untracked(),
        });
    };
    view! {
        <Dialog title="Decline request" request answering>
            <form on:submit=submit>
                <FormAlert message=error />
                <label class="checkbox">
                    <input
                        type="checkbox"
                        autofocus=true
                        data-testid="decline-send-email"
                        prop:checked=move || send_email.get()
                        on:change=move |ev| send_email.set(event_target_checked(&ev))
                    />
                    "Send an email to let them know"
                </label>
                <div class="field" class:invalid=move || reason_error.get().is_some()>
                    <label for="decline-reason">
                        "Reason "<span class="muted small">"(optional)"</span>
                    </label>
                    <textarea
                        id="decline-reason"
                        rows="3"
                        aria-describedby="decline-reason-hint"
                        placeholder="For example: this academy is for our staff only."
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint" id="decline-reason-hint">
                        {move || {
                            if send_email.get() {
                                "Shown in the Declined tab and included in the email."
                            } else {
                                "Shown in the Declined tab only."
                            }
                        }}
                    </p>
                    {move || reason_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| answering.set(None)>
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="button button-danger"
                        data-testid="confirm-decline"
                        disabled=move || decline.pending().get()
                    >
                        {move || if decline.pending().get() { "Declining…" } else { "Decline" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
