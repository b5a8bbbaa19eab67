//! One learner (`/a/:slug/admin/learners/:user_id`): name and email (correctable), role, teams,
//! access, the invitations sent to them and what the audit log says about them, and the actions on
//! them. Opened from every list where the person appears.

use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::domain::UserId;
use crate::{
    api::{
        learner_page::{UpdateLearner, learner_details},
        learners::{DeactivateLearner, ReactivateLearner, RemoveLearner},
        password::SendPasswordReset,
    },
    components::{
        dialog::ConfirmDialog,
        field::{Field, FormAlert, failure, field_error, form_error},
        nav::use_academy,
        notice::{Notice, NoticeLine},
        team_badge::TeamBadges,
    },
    domain::account::AccountStatus,
    error::AppError,
    format,
    model::{InviteView, LearnerView, audit::AuditEntry, display_name, learner_page::LearnerInfo},
};

#[component]
pub fn LearnerPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=crate::domain::Permission::ManageLearners>
            <Learner />
        </crate::pages::admin_shell::RequirePermission>
    }
}

#[component]
fn Learner() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || {
        params
            .read()
            .get("user_id")
            .and_then(|id| id.parse::<UserId>().ok())
    };
    let version = RwSignal::new(0u32);
    // What the last save did: kept here, above the parts that are made again when the page reloads.
    let saved = RwSignal::new(None::<String>);
    // In the page's HTML from the server; loaded again after every change.
    let data = Resource::new(
        move || (user_id(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => learner_details(id).await,
                None => Err(AppError::NotFound("There is no such learner.".into())),
            }
        },
    );
    let back = format!("/a/{}/admin/learners", use_academy().academy.slug);
    view! {
        <p class="back-link">
            <a href=back.clone()>"← All Learners"</a>
        </p>
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || {
                data.get()
                    .map(|r| match r {
                        Ok(d) => {
                            view! { <Details details=d version saved back=back.clone() /> }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <Title text="Learner not found" />
                                <div class="alert alert-error" role="alert">
                                    {e.to_string()}
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Details(
    details: LearnerInfo,
    version: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
    back: String,
) -> impl IntoView {
    let LearnerInfo {
        learner,
        invitations,
        activity,
    } = details;
    let name = display_name(&learner.first_name, &learner.last_name, &learner.email);
    let revoked = learner.status == AccountStatus::Deactivated;
    let own = use_academy()
        .viewer
        .user()
        .is_some_and(|u| u.id == learner.id);
    view! {
        <Title text=name.clone() />
        <div class="page-head">
            <div>
                <h1 data-testid="learner-name">{name.clone()}</h1>
                <p class="muted">
                    {learner.role.label()}
                    {revoked
                        .then(|| {
                            view! {
                                " · "
                                <span class="status status-bad" data-testid="access-revoked">
                                    {AccountStatus::Deactivated.label()}
                                </span>
                            }
                        })}
                </p>
            </div>
        </div>
        <div class="learner-layout">
            <div>
                <EditForm learner=learner.clone() version saved />
                <Invitations invitations />
                {activity.map(|entries| view! { <Activity entries /> })}
            </div>
            <aside>
                <section class="panel" aria-labelledby="learner-facts-title">
                    <h2 id="learner-facts-title">"Account"</h2>
                    <dl class="facts facts-left">
                        <dt>"Role"</dt>
                        <dd>{learner.role.label()}</dd>
                        <dt>"Teams"</dt>
                        <dd>
                            {if learner.teams.is_empty() {
                                view! { <span class="muted">"None"</span> }.into_any()
                            } else {
                                view! { <TeamBadges teams=learner.teams.clone() /> }.into_any()
                            }}
                        </dd>
                        <dt>"Access"</dt>
                        <dd>{learner.status.label()}</dd>
                        <dt>"Registered"</dt>
                        <dd>{format::date(learner.registered_at)}</dd>
                        <dt>"Last sign-in"</dt>
                        <dd>
                            {learner
                                .last_sign_in_at
                                .map(format::date_time)
                                .unwrap_or_else(|| "Never".into())}
                        </dd>
                    </dl>
                </section>
                {(!own).then(|| view! { <Actions learner=learner.clone() version back /> })}
            </aside>
        </div>
    }
}

/// Name and email, corrected in place.
#[component]
fn EditForm(
    learner: LearnerView,
    version: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let save = ServerAction::<UpdateLearner>::new();
    let value = save.value();
    let first = RwSignal::new(learner.first_name.clone());
    let last = RwSignal::new(learner.last_name.clone());
    let email = RwSignal::new(learner.email.clone());
    let old_email = learner.email.clone();
    Effect::new(move |_| {
        // Taken, so the form made again after the reload does not report it a second time.
        if let Some(Ok(now)) = value.get() {
            value.set(None);
            saved.set(Some(if now.email != old_email {
                format!(
                    "Saved. Both {old_email} and {} are told about the new address.",
                    now.email
                )
            } else {
                "Saved.".to_string()
            }));
            version.update(|v| *v += 1);
        }
    });
    let id = learner.id;
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        save.dispatch(UpdateLearner {
            user_id: id,
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
            email: email.get_untracked(),
        });
    };
    view! {
        <section class="panel" aria-labelledby="learner-edit-title">
            <h2 id="learner-edit-title">"Name and email"</h2>
            <form on:submit=submit novalidate data-testid="learner-edit">
                <FormAlert message=form_error(value) />
                <div class="name-pair">
                    <Field
                        label="First name"
                        name="first_name"
                        autocomplete="off"
                        required=true
                        value=first
                        error=field_error(value, "first_name")
                    />
                    <Field
                        label="Last name"
                        name="last_name"
                        autocomplete="off"
                        value=last
                        error=field_error(value, "last_name")
                    />
                </div>
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    autocomplete="off"
                    required=true
                    value=email
                    error=field_error(value, "email")
                    hint="A new address is told to both the old and the new one; the learner signs in with the new one."
                />
                {move || {
                    saved
                        .get()
                        .map(|m| {
                            view! {
                                <p
                                    class="alert alert-info"
                                    role="status"
                                    data-testid="learner-saved"
                                >
                                    {m}
                                </p>
                            }
                        })
                }}
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || save.pending().get()
                >
                    {move || if save.pending().get() { "Saving…" } else { "Save changes" }}
                </button>
            </form>
        </section>
    }
}

/// Password reset, revoking and giving back access, removal.
#[component]
fn Actions(learner: LearnerView, version: RwSignal<u32>, back: String) -> impl IntoView {
    let reset = ServerAction::<SendPasswordReset>::new();
    let deactivate = ServerAction::<DeactivateLearner>::new();
    let reactivate = ServerAction::<ReactivateLearner>::new();
    let remove = ServerAction::<RemoveLearner>::new();
    let confirming = RwSignal::new(None::<&'static str>);
    let notice = Notice::default();
    let id = learner.id;
    let name = display_name(&learner.first_name, &learner.last_name, &learner.email);
    let revoked = learner.status == AccountStatus::Deactivated;
    notice.follow(reset.value(), |email| {
        Some(format!(
            "A link to choose a new password is on its way to {email}. It works for one hour."
        ))
    });
    notice.follow(deactivate.value(), move |_| {
        confirming.set(None);
        version.update(|v| *v += 1);
        None
    });
    notice.follow(reactivate.value(), move |_| {
        version.update(|v| *v += 1);
        None
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = remove.value().get() {
            navigate(&back, Default::default());
        }
    });
    let (remove_title, revoke_title) = (
        format!("Remove {name} from the academy?"),
        format!("Revoke {name}'s access?"),
    );
    view! {
        <section class="panel" aria-labelledby="learner-actions-title">
            <h2 id="learner-actions-title">"Actions"</h2>
            <NoticeLine notice test_id="learner-notice" />
            <div class="stacked-actions">
                {if revoked {
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid="give-access"
                            disabled=move || reactivate.pending().get()
                            on:click=move |_| {
                                reactivate.dispatch(ReactivateLearner { user_id: id });
                            }
                        >
                            "Give access again"
                        </button>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid="send-reset"
                            disabled=move || reset.pending().get()
                            on:click=move |_| {
                                reset.dispatch(SendPasswordReset { user_id: id });
                            }
                        >
                            "Send password reset"
                        </button>
                        <button
                            type="button"
                            class="button button-danger-outline"
                            data-testid="revoke-access"
                            on:click=move |_| {
                                deactivate.value().set(None);
                                confirming.set(Some("revoke"));
                            }
                        >
                            "Revoke access…"
                        </button>
                    }
                        .into_any()
                }}
                <button
                    type="button"
                    class="button button-danger-outline"
                    data-testid="remove-learner"
                    on:click=move |_| {
                        remove.value().set(None);
                        confirming.set(Some("remove"));
                    }
                >
                    "Remove from the academy…"
                </button>
            </div>
            {move || match confirming.get() {
                Some("revoke") => {
                    Some(
                        view! {
                            <ConfirmDialog
                                title=revoke_title.clone()
                                text="They are signed out at once and cannot sign in or use an invitation link until you give access back. Their teams and history stay."
                                yes="Yes, revoke access"
                                busy=deactivate.pending()
                                error=failure(deactivate.value())
                                on_yes=Callback::new(move |_| {
                                    deactivate.dispatch(DeactivateLearner { user_id: id });
                                })
                                on_cancel=Callback::new(move |_| confirming.set(None))
                            />
                        }
                            .into_any(),
                    )
                }
                Some(_) => {
                    Some(
                        view! {
                            <ConfirmDialog
                                title=remove_title.clone()
                                text="Their account is deleted and their name and email are erased from invitations, uploads and the audit log. This cannot be undone."
                                yes="Yes, remove"
                                busy=remove.pending()
                                error=failure(remove.value())
                                on_yes=Callback::new(move |_| {
                                    remove.dispatch(RemoveLearner { user_id: id });
                                })
                                on_cancel=Callback::new(move |_| confirming.set(None))
                            />
                        }
                            .into_any(),
                    )
                }
                None => None,
            }}
        </section>
    }
}

/// The invitations sent to the learner's address, with what became of their emails.
#[component]
fn Invitations(invitations: Vec<InviteView>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="learner-invites-title">
            <h2 id="learner-invites-title">"Invitations"</h2>
            {if invitations.is_empty() {
                view! {
                    <p class="muted">
                        "No invitation was sent to this address: they joined without one."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table table-compact" data-testid="learner-invitations">
                            <thead>
                                <tr>
                                    <th>"Invited"</th>
                                    <th>"By"</th>
                                    <th>"Expires"</th>
                                    <th>"Email Status"</th>
                                    <th>"Invitation Progress"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {invitations
                                    .into_iter()
                                    .map(|i| {
                                        view! {
                                            <tr>
                                                <td class="nowrap">{format::date_time(i.invited_at)}</td>
                                                <td>{i.invited_by.clone()}</td>
                                                <td class="nowrap">{format::expiry(i.expires_at)}</td>
                                                <td>
                                                    {i.email_status.label()}
                                                    {i
                                                        .email_error
                                                        .clone()
                                                        .map(|e| {
                                                            view! {
                                                                <br />
                                                                <span class="muted small">{e}</span>
                                                            }
                                                        })}
                                                </td>
                                                <td>{i.progress.label()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The newest audit entries about the learner or by them.
#[component]
fn Activity(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="learner-activity-title">
            <h2 id="learner-activity-title">"Activity"</h2>
            {if entries.is_empty() {
                view! { <p class="muted">"Nothing recorded yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="activity" data-testid="learner-activity">
                        {entries
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <li>
                                        <span class="muted small nowrap">
                                            {format::date_time(e.at)}
                                        </span>
                                        " "
                                        <strong>{e.actor.name()}</strong>
                                        " "
                                        {e.what.clone()}
                                        {(!e.detail.is_empty())
                                            .then(|| {
                                                view! {
                                                    <span class="muted">{format!(" ({})", e.detail)}</span>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
