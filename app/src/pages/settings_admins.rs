//! Settings → Admins: the Owner and Administrators, the pending invitations to become one, "Invite an
//! administrator", and — for the Owner — "Remove administrator". Arrives with the page (see `pages`).

use leptos::{ev, prelude::*};

use crate::domain::UserId;
use crate::{
    api::staff::{InviteAdmin, RemoveAdmin, ResendAdminInvite, RevokeAdminInvite, list_staff},
    components::{
        dialog::ConfirmDialog,
        nav::use_academy,
        notice::{Notice, NoticeLine},
    },
    domain::{
        invite::{EmailStatus, Progress},
        role::Role,
    },
    error::AppError,
    format,
    model::{
        InviteOutcome,
        staff::{Integration, StaffInvite, StaffMember, StaffOverview},
    },
};

/// Reloads every few seconds while an invitation email is on its way, so its status changes by itself.
fn poll_while_sending(data: Resource<Result<StaffOverview, AppError>>, tick: RwSignal<u32>) {
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let busy = data.get_untracked().and_then(|r| r.ok()).is_some_and(|o| {
                    o.invites.iter().any(|i| {
                        matches!(i.email_status, EmailStatus::Queued | EmailStatus::Retrying)
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

/// "works for 14 days": what a new invitation link does (Settings → Invitations).
fn lifetime() -> String {
    crate::components::nav::use_academy()
        .academy
        .invite_lifecycle
        .link_lifetime()
}

#[component]
pub fn AdminsTab() -> impl IntoView {
    let ctx = use_academy();
    let me = ctx.viewer.user().cloned();
    let can_remove = me
        .as_ref()
        .is_some_and(|u| u.role.can(crate::domain::Permission::RemoveStaff));
    let my_id = me.map(|u| u.id);
    let inviting = RwSignal::new(false);
    let invite = ServerAction::<InviteAdmin>::new();
    let resend = ServerAction::<ResendAdminInvite>::new();
    let revoke = ServerAction::<RevokeAdminInvite>::new();
    let remove = ServerAction::<RemoveAdmin>::new();
    let confirming = RwSignal::new(None::<UserId>);
    // How many integrations the last removal revoked, for its notice.
    let revoked = RwSignal::new(0usize);
    let tick = RwSignal::new(0u32);
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after each change and while emails are sent.
    let data = Resource::new(
        move || {
            let changes = (
                invite.version().get(),
                resend.version().get(),
                revoke.version().get(),
                remove.version().get(),
            );
            (changes, tick.get())
        },
        |_| list_staff(),
    );
    poll_while_sending(data, tick);
    notice.follow(resend.value(), |()| {
        Some(format!(
            "Sent again with a new link that {}. Earlier links keep working until they expire.",
            lifetime()
        ))
    });
    notice.follow(revoke.value(), |()| {
        Some("Invitation revoked: its links no longer work.".into())
    });
    notice.follow(remove.value(), move |u| {
        confirming.set(None);
        let also = match revoked.get_untracked() {
            0 => String::new(),
            1 => " The integration they made was revoked.".into(),
            n => format!(" The {n} integrations they made were revoked."),
        };
        Some(format!(
            "{} was removed from the academy and signed out.{also}",
            u.display_name()
        ))
    });
    let open_form = move |_| {
        invite.value().set(None);
        inviting.set(true);
    };
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading administrators…"</p> }>
            <section class="settings-section" aria-labelledby="admins-title">
                <div class="section-head">
                    <h2 id="admins-title">"Owner and administrators"</h2>
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="invite-admin"
                        aria-expanded=move || inviting.get().to_string()
                        on:click=open_form
                    >
                        "Invite an administrator"
                    </button>
                </div>
                <p class="muted">
                    "Administrators can do everything in the academy except change the plan: invite and manage learners and teams, "
                    "manage courses, settings and integrations, and read the audit log. Only the Owner removes administrators."
                </p>
                <Show when=move || inviting.get()>
                    <InviteForm
                        invite
                        on_cancel=Callback::new(move |_| inviting.set(false))
                        on_sent=Callback::new(move |text: String| {
                            inviting.set(false);
                            notice.info(text);
                        })
                    />
                </Show>
                <NoticeLine notice test_id="admins-notice" />
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
                    Some(Ok(o)) => {
                        view! {
                            <div class="table-wrap">
                                <table class="table" data-testid="staff-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Email"</th>
                                            <th scope="col">"Role"</th>
                                            <th scope="col">"Since"</th>
                                            <th scope="col">"Last sign-in"</th>
                                            <th scope="col">
                                                <span class="sr-only">"Actions"</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o
                                            .members
                                            .into_iter()
                                            .map(|m| {
                                                let removable = can_remove && m.role == Role::Admin
                                                    && Some(m.id) != my_id;
                                                let own = Some(m.id) == my_id;
                                                view! {
                                                    <MemberRow
                                                        member=m
                                                        own
                                                        removable
                                                        remove
                                                        confirming
                                                        revoked
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
            </section>
            <section class="settings-section" aria-labelledby="admin-invites-title">
                <h2 id="admin-invites-title">"Pending invitations"</h2>
                {move || {
                    data.get()
                        .and_then(|r| r.ok())
                        .map(|o| {
                            if o.invites.is_empty() {
                                view! {
                                    <p
                                        class="empty-inline staff-empty"
                                        data-testid="admin-invites-empty"
                                    >
                                        "No pending invitations. Use \"Invite an administrator\" to add someone who helps run the academy; they join through the link in their email."
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="table" data-testid="admin-invites-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"Email"</th>
                                                    <th scope="col">"Name"</th>
                                                    <th scope="col">"Invited"</th>
                                                    <th scope="col">"Expires"</th>
                                                    <th scope="col">"Email Status"</th>
                                                    <th scope="col">
                                                        <span class="sr-only">"Actions"</span>
                                                    </th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {o
                                                    .invites
                                                    .into_iter()
                                                    .map(|i| view! { <InviteRow invite=i resend revoke /> })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <p class="muted small table-note">
                                        {format!(
                                            "Resend sends a new link that {}; earlier links keep working until their own expiry.",
                                            lifetime(),
                                        )}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </section>
        </Transition>
    }
}

#[component]
fn MemberRow(
    member: StaffMember,
    own: bool,
    removable: bool,
    remove: ServerAction<RemoveAdmin>,
    confirming: RwSignal<Option<UserId>>,
    revoked: RwSignal<usize>,
) -> impl IntoView {
    let id = member.id;
    let integrations = member.integrations.clone();
    let made = integrations.len();
    // On by default: an integration whose maker left should not keep working unnoticed.
    let revoke_too = RwSignal::new(true);
    let name = crate::model::display_name(&member.first_name, &member.last_name, &member.email);
    let confirm_text = format!("Remove {name} from the academy?");
    let remove_label = format!("Remove {name}");
    let role_class = if member.role == Role::Owner {
        "badge"
    } else {
        "badge badge-muted"
    };
    view! {
        <tr data-testid="staff-row" data-email=member.email.clone()>
            <td>
                <strong>{name.clone()}</strong>
                {own
                    .then(|| {
                        view! {
                            " "
                            <span class="muted small">"(you)"</span>
                        }
                    })}
            </td>
            <td>{member.email.clone()}</td>
            <td>
                <span class=role_class>{member.role.label()}</span>
            </td>
            <td class="nowrap">{format::date(member.since)}</td>
            <td class="nowrap">
                {member.last_sign_in_at.map(format::date_time).unwrap_or_else(|| "Never".into())}
            </td>
            <td class="row-actions">
                {removable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-small button-danger-outline"
                                aria-label=remove_label.clone()
                                on:click=move |_| {
                                    remove.value().set(None);
                                    confirming.set(Some(id));
                                }
                            >
                                "Remove…"
                            </button>
                            {move || {
                                (confirming.get() == Some(id))
                                    .then(|| {
                                        let integrations = integrations.clone();
                                        view! {
                                            <ConfirmDialog
                                                title=confirm_text.clone()
                                                text="They are signed out at once and lose access; what they did stays in the audit log."
                                                yes="Yes, remove"
                                                busy=remove.pending()
                                                error=crate::components::field::failure(remove.value())
                                                on_yes=Callback::new(move |_| {
                                                    let revoke_integrations = made > 0
                                                        && revoke_too.get_untracked();
                                                    revoked.set(if revoke_integrations { made } else { 0 });
                                                    remove
                                                        .dispatch(RemoveAdmin {
                                                            user_id: id,
                                                            revoke_integrations,
                                                        });
                                                })
                                                on_cancel=Callback::new(move |_| confirming.set(None))
                                            >
                                                {(made > 0)
                                                    .then(|| {
                                                        view! { <MadeIntegrations integrations revoke_too /> }
                                                    })}
                                            </ConfirmDialog>
                                        }
                                    })
                            }}
                        }
                    })}
            </td>
        </tr>
    }
}

/// In the removal's confirmation: what the Administrator made, and whether to revoke it too.
#[component]
fn MadeIntegrations(integrations: Vec<Integration>, revoke_too: RwSignal<bool>) -> impl IntoView {
    let count = integrations.len();
    let label = if count == 1 {
        "Also revoke it: its tokens stop working at once".to_string()
    } else {
        format!("Also revoke these {count}: their tokens stop working at once")
    };
    view! {
        <div class="made-integrations" data-testid="made-integrations">
            <p>"They made:"</p>
            <ul>
                {integrations
                    .into_iter()
                    .map(|i| view! { <li>{i.kind.label()}": "<code>{i.label}</code></li> })
                    .collect_view()}
            </ul>
            <label class="checkbox">
                <input
                    type="checkbox"
                    name="revoke_integrations"
                    prop:checked=move || revoke_too.get()
                    on:change=move |ev| revoke_too.set(event_target_checked(&ev))
                />
                " "
                {label}
            </label>
        </div>
    }
}

#[component]
fn InviteRow(
    invite: StaffInvite,
    resend: ServerAction<ResendAdminInvite>,
    revoke: ServerAction<RevokeAdminInvite>,
) -> impl IntoView {
    let id = invite.id;
    let email_class = match invite.email_status {
        EmailStatus::Sent => "status status-ok",
        EmailStatus::Failed => "status status-bad",
        EmailStatus::Retrying => "status status-warn",
        _ => "status",
    };
    let expired = invite.progress == Progress::Expired;
    let busy = move || resend.pending().get() || revoke.pending().get();
    let email = invite.email.clone();
    view! {
        <tr data-testid="admin-invite-row" data-email=invite.email.clone()>
            <td>{invite.email.clone()}</td>
            <td>{crate::model::full_name(&invite.first_name, &invite.last_name)}</td>
            <td>
                <span class="nowrap">{format::date(invite.invited_at)}</span>
                <br />
                <span class="muted small">{format!("by {}", invite.invited_by)}</span>
            </td>
            <td class="nowrap">
                {if expired {
                    view! { <span class="status status-bad">"Expired"</span> }.into_any()
                } else {
                    view! { <span>{format::expiry(invite.expires_at)}</span> }.into_any()
                }}
            </td>
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
            <td class="actions">
                <button
                    type="button"
                    class="link-button"
                    disabled=busy
                    aria-label=format!("Resend to {email}")
                    on:click=move |_| {
                        resend.dispatch(ResendAdminInvite { invite_id: id });
                    }
                >
                    "Resend"
                </button>
                <button
                    type="button"
                    class="link-button danger"
                    disabled=busy
                    aria-label=format!("Revoke the invitation of {email}")
                    on:click=move |_| {
                        revoke.dispatch(RevokeAdminInvite { invite_id: id });
                    }
                >
                    "Revoke"
                </button>
            </td>
        </tr>
    }
}

/// "Invite an administrator": email, first name, last name. Enter sends, Escape closes.
#[component]
fn InviteForm(
    invite: ServerAction<InviteAdmin>,
    on_cancel: Callback<()>,
    on_sent: Callback<String>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let email_input = NodeRef::<leptos::html::Input>::new();
    // `autofocus` only works when a page loads; this form appears later.
    Effect::new(move |_| {
        if let Some(el) = email_input.get() {
            let _ = el.focus();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = invite.value().get() {
            let to = email.get_untracked().trim().to_string();
            let text = match outcome {
                InviteOutcome::AlreadyInvited { .. } => format!(
                    "{to} was already invited: the invitation is renewed and sent again with a new link."
                ),
                _ => format!(
                    "Invitation sent to {to}. They become an Administrator when they join through the link in the email (it {}).",
                    lifetime()
                ),
            };
            on_sent.run(text);
        }
    });
    let error = move |field: &'static str| {
        move || {
            invite
                .value()
                .get()
                .and_then(|r| r.err())
                .and_then(|e| e.field_message(field))
        }
    };
    let form_error = move || {
        invite
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !e.is_field_error())
            .map(|e| e.to_string())
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        invite.dispatch(InviteAdmin {
            email: email.get_untracked(),
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
        });
    };
    let field = move |label: &'static str,
                      name: &'static str,
                      kind: &'static str,
                      value: RwSignal<String>,
                      node: NodeRef<leptos::html::Input>| {
        let id = format!("admin-{name}");
        let error_id = format!("{id}-error");
        let described = error_id.clone();
        let input = view! {
            <input
                node_ref=node
                id=id.clone()
                type=kind
                name=name
                autocomplete="off"
                required=name != "last_name"
                maxlength=crate::domain::text::cap_for_field(name)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error(name)().is_some().to_string()
                aria-describedby=move || error(name)().map(|_| described.clone())
            />
        };
        view! {
            <div class="field" class:invalid=move || error(name)().is_some()>
                <label for=id>
                    {label}
                    {(name == "last_name")
                        .then(|| {
                            view! {
                                " "
                                <span class="muted small">"(optional)"</span>
                            }
                        })}
                </label>
                {input}
                {move || {
                    error(name)()
                        .map(|m| {
                            view! {
                                <p class="field-error" id=error_id.clone()>
                                    {m}
                                </p>
                            }
                        })
                }}
            </div>
        }
    };
    view! {
        <form
            class="panel admin-invite"
            data-testid="invite-admin-form"
            novalidate
            on:submit=submit
            on:keydown=move |ev: ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    on_cancel.run(());
                }
            }
        >
            <h3>"Invite an administrator"</h3>
            <p class="muted small">
                {format!(
                    "They get an email with a link to join as an Administrator; the link {}. Learners are invited in Learners & Teams.",
                    lifetime(),
                )}
            </p>
            {move || {
                form_error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            {field("Email", "email", "email", email, email_input)}
            <div class="admin-invite-names">
                {field("First name", "first_name", "text", first, NodeRef::new())}
                {field("Last name", "last_name", "text", last, NodeRef::new())}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || invite.pending().get()
                >
                    {move || if invite.pending().get() { "Sending…" } else { "Send invitation" }}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
