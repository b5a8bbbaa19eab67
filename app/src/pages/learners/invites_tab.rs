use leptos::prelude::*;

use super::{
    ExportLink, ListControls,
    bulk_bar::{InviteBulkBar, PickCell, PickPageCell, Picked},
};
use crate::components::{
    dialog::ConfirmDialog,
    notice::{Notice, NoticeLine},
    team_badge::TeamBadges,
};
use crate::domain::{InviteId, TeamId};
use crate::{
    api::{
        bulk::BulkInvites,
        invites::{InviteLearners, InviteLink, ResendInvite, RevokeInvite, list_invites},
    },
    domain::invite::{EmailStatus, InviteeInput, Progress},
    error::AppError,
    format,
    model::{InviteOutcome, InviteView, ListQuery, Page},
};

/// Reloads the list every few seconds while an email is on its way, so statuses change by themselves.
fn poll_while_sending(data: Resource<Result<Page<InviteView>, AppError>>, tick: RwSignal<u32>) {
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let busy = data.get_untracked().and_then(|r| r.ok()).is_some_and(|p| {
                    p.rows.iter().any(|r| {
                        matches!(r.email_status, EmailStatus::Queued | EmailStatus::Retrying)
                    })
                });
                if busy {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_millis(1500),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
}

/// The academy's invitations, or — with `team` — "Invites in team": the pending invitations that
/// include that team.
#[component]
pub fn InvitesTab(
    version: RwSignal<u32>,
    #[prop(optional)] team: Option<TeamId>,
    /// Told after a resend or revoke succeeded (the team page's counts follow).
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let changed = move || {
        if let Some(c) = on_change {
            c.run(());
        }
    };
    // "works for 14 days": what a new link does (Settings → Invitations).
    let lifetime = crate::components::nav::use_academy()
        .academy
        .invite_lifecycle
        .link_lifetime();
    let search = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let tick = RwSignal::new(0u32);
    let resend = ServerAction::<ResendInvite>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let copy = ServerAction::<InviteLink>::new();
    let again = ServerAction::<InviteLearners>::new();
    let bulk = ServerAction::<BulkInvites>::new();
    let picked = Picked::new();
    // A new search or filter is a new list: what was ticked on the old one is let go.
    Effect::new(move |_| {
        search.track();
        filter.track();
        picked.clear();
    });
    let confirming = RwSignal::new(None::<InviteId>);
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after invitations were sent, while emails are
    // on their way, and after actions.
    let data = Resource::new(
        move || {
            let query = ListQuery {
                search: search.get(),
                filter: filter.get(),
                page: page.get(),
                team_id: team,
            };
            let reloads = (
                tick.get(),
                resend.version().get(),
                revoke.version().get(),
                again.version().get(),
                bulk.version().get(),
            );
            (query, version.get(), reloads)
        },
        |(query, ..)| list_invites(query),
    );
    poll_while_sending(data, tick);
    let resent_lifetime = lifetime.clone();
    notice.follow(resend.value(), move |()| {
        changed();
        Some(format!("Sent again with a new link that {resent_lifetime}. Earlier links keep working until they expire."))
    });
    notice.follow(revoke.value(), move |()| {
        confirming.set(None);
        changed();
        Some("Invitation revoked: its links no longer work.".into())
    });
    notice.follow(again.value(), move |results| {
        changed();
        results.into_iter().next().map(|r| match r.outcome {
            InviteOutcome::Invited { .. } | InviteOutcome::AlreadyInvited { .. } => {
                format!("Invited {} again: a new link is on its way.", r.email)
            }
            InviteOutcome::AlreadyLearner { .. } => {
                format!("{} is a learner already: nothing was sent.", r.email)
            }
            InviteOutcome::Invalid { message } => message,
        })
    });
    notice.follow(copy.value(), |link| {
        let copied = web_sys::window()
            .map(|w| w.navigator().clipboard())
            .map(|c| c.write_text(&link))
            .is_some();
        Some(if copied {
            format!("Copied: {link}")
        } else {
            format!("Invite link: {link}")
        })
    });
    let loaded = move || data.get().and_then(|r| r.ok());
    let query = Signal::derive(move || ListQuery {
        search: search.get(),
        filter: filter.get(),
        page: 1,
        team_id: team,
    });
    // The team page's counts follow a bulk change too.
    notice.follow(bulk.value(), move |_| {
        changed();
        None
    });
    let pages = Signal::derive(move || loaded().map(|p| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading invites…"</p> }>
            <ListControls search page pages total placeholder="Search invites by name or email">
                <label class="inline-label">
                    "Show "
                    <select
                        aria-label="Filter invites"
                        on:change=move |ev| {
                            filter.set(event_target_value(&ev));
                            page.set(1);
                        }
                    >
                        {if team.is_some() {
                            view! {
                                <option value="">"All pending invites"</option>
                                <option value="invited">"Invited (waiting)"</option>
                                <option value="expired">"Expired"</option>
                                <option value="email_failed">"Email problems"</option>
                            }
                                .into_any()
                        } else {
                            view! {
                                <option value="">"All invites"</option>
                                <option value="invited">"Invited (waiting)"</option>
                                <option value="accepted">"Has accepted invite"</option>
                                <option value="expired">"Expired"</option>
                                <option value="revoked">"Revoked"</option>
                                <option value="email_failed">"Email problems"</option>
                            }
                                .into_any()
                        }}
                    </select>
                </label>
                {team.is_none().then(|| view! { <ExportLink list="invites" search filter /> })}
            </ListControls>
            <NoticeLine notice test_id="invites-notice" />
            <InviteBulkBar picked total query action=bulk notice />
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
                            && filter.get_untracked().is_empty() && team.is_some() => {
                            view! {
                                <section class="empty-state">
                                    <h2>"No pending invites in this team"</h2>
                                    <p>
                                        "Use \"Invite to team\" to invite people straight into this team. They wait here until they register, then move to \"Learners in team\" by themselves."
                                    </p>
                                </section>
                            }
                                .into_any()
                        }
                        Ok(
                            p,
                        ) if p.rows.is_empty() && search.get_untracked().is_empty()
                            && filter.get_untracked().is_empty() => {
                            view! {
                                <section class="empty-state">
                                    <h2>"No invitations yet"</h2>
                                    <p>
                                        "Invite learners with \"Invite Learners\". Each invitation shows here with its \"Email Status\" and \"Invitation Progress\" until the learner has joined."
                                    </p>
                                </section>
                            }
                                .into_any()
                        }
                        Ok(p) if p.rows.is_empty() => {
                            view! { <p class="empty-inline">"No invitation matches."</p> }
                                .into_any()
                        }
                        Ok(p) => {
                            picked.show(p.rows.iter().map(|r| r.id).collect());
                            // The rows on screen are noted (above) here, inside the <Transition>: a read
                            // of the list outside it would make the layout's <Suspense> swap the whole page
                            // (and any open dialog) for its fallback on every reload.
                            view! {
                                <div class="table-wrap">
                                    <table class="table" data-testid="invites-table">
                                        <thead>
                                            <tr>
                                                <PickPageCell picked />
                                                <th>"Email"</th>
                                                <th>"Name"</th>
                                                <th>"Role"</th>
                                                <th>"Teams"</th>
                                                <th>"Invited"</th>
                                                <th>"Expires"</th>
                                                <th>"Email Status"</th>
                                                <th>"Invitation Progress"</th>
                                                <th>
                                                    <span class="sr-only">"Actions"</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p
                                                .rows
                                                .into_iter()
                                                .map(|i| {
                                                    view! {
                                                        <InviteRow
                                                            invite=i
                                                            picked
                                                            resend
                                                            revoke
                                                            copy
                                                            again
                                                            confirming
                                                        />
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <p class="muted small">
                                    {format!(
                                        "Resend sends a new link that {lifetime}; the earlier links keep working until their own expiry (Settings → Invitations).",
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                    }
                }
            }}
        </Transition>
    }
}

#[component]
fn InviteRow(
    invite: InviteView,
    picked: Picked<InviteId>,
    resend: ServerAction<ResendInvite>,
    revoke: ServerAction<RevokeInvite>,
    copy: ServerAction<InviteLink>,
    again: ServerAction<InviteLearners>,
    /// The row whose "Revoke" waits for confirmation.
    confirming: RwSignal<Option<InviteId>>,
) -> impl IntoView {
    let id = invite.id;
    let open = matches!(invite.progress, Progress::Invited | Progress::Expired);
    let email_class = match invite.email_status {
        EmailStatus::Sent => "status status-ok",
        EmailStatus::Failed => "status status-bad",
        EmailStatus::Retrying => "status status-warn",
        _ => "status",
    };
    let progress_class = match invite.progress {
        Progress::Accepted => "status status-ok",
        Progress::Expired | Progress::Revoked => "status status-bad",
        Progress::Invited => "status",
    };
    let email = invite.email.clone();
    let revoke_email = invite.email.clone();
    let again_email = invite.email.clone();
    let revoked = invite.progress == Progress::Revoked;
    // "Invite again": the same person, role and teams, emailed a new link.
    let again_request = InviteLearners {
        people: vec![InviteeInput {
            email: invite.email.clone(),
            first_name: invite.first_name.clone(),
            last_name: invite.last_name.clone(),
        }],
        role: invite.role,
        team_ids: invite.teams.iter().map(|t| t.id).collect(),
        send_email: true,
        from_team: false,
        // The academy's default message, as a new invitation would have.
        message: None,
    };
    view! {
        <tr data-testid="invite-row" data-email=invite.email.clone()>
            <PickCell picked id label=format!("Select {}", invite.email) />
            <td>{invite.email.clone()}</td>
            <td>{crate::model::full_name(&invite.first_name, &invite.last_name)}</td>
            <td class="nowrap">{invite.role.label()}</td>
            <td>
                <TeamBadges teams=invite.teams />
            </td>
            <td>
                <span class="nowrap">{format::date(invite.invited_at)}</span>
                <br />
                <span class="muted small">{format!("by {}", invite.invited_by)}</span>
            </td>
            <td class="nowrap">{format::expiry(invite.expires_at)}</td>
            <td>
                <span class=email_class data-testid="email-status">
                    {invite.email_status.label()}
                </span>
                {invite
                    .email_error
                    .map(|e| {
                        view! {
                            <br />
                            <span class="muted small">{e}</span>
                        }
                    })}
            </td>
            <td>
                <span class=progress_class data-testid="progress">
                    {invite.progress.label()}
                </span>
            </td>
            <td class="actions">
                {open
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| {
                                    resend.dispatch(ResendInvite { invite_id: id });
                                }
                                aria-label=format!("Resend to {email}")
                            >
                                "Resend"
                            </button>
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| {
                                    copy.dispatch(InviteLink { invite_id: id });
                                }
                                aria-label=format!("Copy invite link of {email}")
                            >
                                "Copy invite link"
                            </button>
                            <button
                                type="button"
                                class="link-button danger"
                                aria-label=format!("Revoke the invitation of {email}")
                                on:click=move |_| {
                                    revoke.value().set(None);
                                    confirming.set(Some(id));
                                }
                            >
                                "Revoke"
                            </button>
                        }
                    })}
                {revoked
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="link-button"
                                aria-label=format!("Invite again: {again_email}")
                                data-testid="invite-again"
                                disabled=move || again.pending().get()
                                on:click=move |_| {
                                    again.dispatch(again_request.clone());
                                }
                            >
                                "Invite again"
                            </button>
                        }
                    })}
                {move || {
                    (confirming.get() == Some(id))
                        .then(|| {
                            view! {
                                <ConfirmDialog
                                    title=format!("Revoke the invitation of {revoke_email}?")
                                    text="Its links stop working at once. You can invite them again later."
                                    yes="Yes, revoke"
                                    busy=revoke.pending()
                                    error=crate::components::field::failure(revoke.value())
                                    on_yes=Callback::new(move |_| {
                                        revoke.dispatch(RevokeInvite { invite_id: id });
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
