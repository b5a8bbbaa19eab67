//! Settings → Webhooks: where Shoal POSTs signed events, the signing secret, a test event and each
//! webhook's delivery log. The list arrives with the page; a delivery log loads when opened (see
//! `pages`).

use leptos::{ev, prelude::*};

use crate::domain::WebhookId;
use crate::{
    api::webhooks::{
        CreateWebhook, DeleteWebhook, SendTestWebhook, WebhookSecret, list_webhook_deliveries,
        list_webhooks,
    },
    components::{
        dialog::ConfirmDialog,
        field::{Field, field_error, form_error},
        notice::{Notice, NoticeLine},
    },
    domain::webhook::{self, EVENTS},
    error::AppError,
    format,
    model::webhooks::{DeliveryView, WebhookCreated, WebhookView},
};

#[component]
pub fn WebhooksSettings() -> impl IntoView {
    let adding = RwSignal::new(false);
    let create = ServerAction::<CreateWebhook>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let notice = Notice::default();
    let created = RwSignal::new(None::<WebhookCreated>);
    let data = Resource::new(
        move || (create.version().get(), delete.version().get()),
        |_| list_webhooks(),
    );
    Effect::new(move |_| {
        if let Some(Ok(w)) = create.value().get() {
            adding.set(false);
            created.set(Some(w));
        }
    });
    notice.follow(delete.value(), move |()| {
        created.set(None);
        Some("Webhook deleted. Deliveries still waiting for it will not be sent.".into())
    });
    view! {
        <section class="settings-section webhooks" aria-labelledby="webhooks-title">
            <div class="section-head">
                <h2 id="webhooks-title">"Webhooks"</h2>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="add-webhook"
                    aria-expanded=move || adding.get().to_string()
                    on:click=move |_| {
                        create.value().set(None);
                        adding.update(|a| *a = !*a);
                    }
                >
                    "Add webhook"
                </button>
            </div>
            <p class="muted">
                "Shoal sends a signed JSON message (an HTTP POST) to your URL when something happens in the academy. "
                "Each message carries a "<code>"Shoal-Signature"</code>
                " header: check it with the webhook's signing secret. "
                "A receiver that does not answer with a 2xx status gets the same message again later, with growing pauses, for about an hour."
            </p>
            <Show when=move || adding.get()>
                <WebhookForm create on_cancel=Callback::new(move |_| adding.set(false)) />
            </Show>
            {move || {
                created
                    .get()
                    .map(|c| {
                        view! {
                            <div
                                class="alert alert-info webhook-created"
                                role="status"
                                data-testid="webhook-created"
                            >
                                <p>
                                    {format!(
                                        "Webhook added for {}. Copy its signing secret into your receiver now (you can show it again later):",
                                        c.webhook.url,
                                    )}
                                </p>
                                <SecretLine secret=c.secret.clone() />
                            </div>
                        }
                    })
            }}
            <NoticeLine notice test_id="webhooks-notice" />
            <Transition fallback=|| {
                view! { <p class="loading">"Loading webhooks…"</p> }
            }>
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
                    Some(Ok(list)) if list.is_empty() => {
                        view! {
                            <div class="empty-state" data-testid="webhooks-empty">
                                <h3>"No webhooks yet"</h3>
                                <p>
                                    "Use \"Add webhook\" to give Shoal a URL of your system (an HRIS, a CRM, a chat bot) and choose the events it should hear about — for example when an invitation is accepted. Then press \"Send test event\" to check that it arrives."
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="webhook-list" data-testid="webhook-list">
                                {list
                                    .into_iter()
                                    .map(|w| view! { <WebhookItem webhook=w delete /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </Transition>
        </section>
    }
}

/// "Add webhook": the URL and the events.
#[component]
fn WebhookForm(create: ServerAction<CreateWebhook>, on_cancel: Callback<()>) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let chosen = RwSignal::new(
        EVENTS
            .iter()
            .filter(|e| e.available)
            .map(|e| e.name.to_string())
            .collect::<Vec<_>>(),
    );
    let value = create.value();
    let url_error = field_error(value, "url");
    let events_error = field_error(value, "events");
    let other_error = form_error(value);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateWebhook {
            url: url.get_untracked(),
            events: chosen.get_untracked(),
        });
    };
    view! {
        <section class="panel" aria-labelledby="new-webhook-title">
            <h3 id="new-webhook-title">"Add webhook"</h3>
            <form on:submit=submit novalidate data-testid="webhook-form">
                {move || {
                    other_error
                        .get()
                        .map(|m| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {m}
                                </div>
                            }
                        })
                }}
                <Field
                    label="Payload URL"
                    name="webhook-url"
                    kind="url"
                    value=url
                    error=url_error
                    required=true
                    autofocus=true
                    autocomplete="off"
                    hint="Where Shoal POSTs events, e.g. https://example.com/hooks/shoal. http:// or https://, no user name or password in it."
                />
                <fieldset
                    class="field webhook-events"
                    aria-describedby=move || events_error.get().map(|_| "webhook-events-error")
                >
                    <legend>"Events"</legend>
                    {EVENTS
                        .iter()
                        .map(|e| {
                            let name = e.name;
                            view! {
                                <label class="checkbox" class:disabled=!e.available>
                                    <input
                                        type="checkbox"
                                        value=name
                                        disabled=!e.available
                                        data-testid=format!("webhook-event-{name}")
                                        prop:checked=move || {
                                            chosen.with(|c| c.iter().any(|n| n == name))
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen
                                                .update(|c| {
                                                    c.retain(|n| n != name);
                                                    if on {
                                                        c.push(name.to_string());
                                                    }
                                                });
                                        }
                                    />
                                    <span>
                                        <strong>{e.label}</strong>
                                        " "
                                        <code>{name}</code>
                                        {(!e.available)
                                            .then(|| {
                                                view! { <span class="badge badge-muted">"coming"</span> }
                                            })}
                                        <br />
                                        <span class="muted small">{e.description}</span>
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                    {move || {
                        events_error
                            .get()
                            .map(|m| {
                                view! {
                                    <p class="field-error" id="webhook-events-error">
                                        {m}
                                    </p>
                                }
                            })
                    }}
                </fieldset>
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || create.pending().get()
                    >
                        {move || if create.pending().get() { "Adding…" } else { "Add webhook" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The secret in a code box with a copy button.
#[component]
fn SecretLine(secret: String) -> impl IntoView {
    let copy = secret.clone();
    view! {
        <p class="webhook-secret">
            <code data-testid="webhook-secret">{secret}</code>
            " "
            <crate::components::copy_button::CopyButton text=copy what="Copy the signing secret" />
        </p>
    }
}

#[component]
fn WebhookItem(webhook: WebhookView, delete: ServerAction<DeleteWebhook>) -> impl IntoView {
    let id = webhook.id;
    let secret = ServerAction::<WebhookSecret>::new();
    let test = ServerAction::<SendTestWebhook>::new();
    let show_secret = RwSignal::new(false);
    let show_log = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let notice = Notice::default();
    notice.follow(test.value(), move |delivery| {
        show_log.set(true);
        Some(format!(
            "Test event queued (delivery {delivery}). Its result appears in the delivery log below."
        ))
    });
    let secret_text = move || match secret.value().get() {
        Some(Ok(s)) => Some(Ok(s)),
        Some(Err(e)) => Some(Err(e.to_string())),
        None => None,
    };
    let log_id = format!("webhook-log-{id}");
    let url = webhook.url.clone();
    let question = format!("Delete the webhook for {url}?");
    view! {
        <li class="webhook" data-testid="webhook" data-url=url.clone()>
            <div class="webhook-head">
                <code class="webhook-url">{url.clone()}</code>
                <span class="muted small">
                    {format!("Added {}", format::date(webhook.created_at))}
                </span>
            </div>
            <p class="webhook-events-list">
                <span class="sr-only">"Events: "</span>
                {webhook
                    .events
                    .iter()
                    .map(|e| {
                        view! {
                            <span class="badge" title=e.clone()>
                                {webhook::label(e).to_string()}
                            </span>
                            " "
                        }
                    })
                    .collect_view()}
            </p>
            <div class="webhook-actions">
                <button
                    type="button"
                    class="button button-small"
                    aria-expanded=move || show_secret.get().to_string()
                    data-testid="webhook-show-secret"
                    on:click=move |_| {
                        let open = !show_secret.get_untracked();
                        show_secret.set(open);
                        if open && secret.value().get_untracked().is_none() {
                            secret.dispatch(WebhookSecret { webhook_id: id });
                        }
                    }
                >
                    {move || {
                        if show_secret.get() {
                            "Hide signing secret"
                        } else {
                            "Show signing secret"
                        }
                    }}
                </button>
                <button
                    type="button"
                    class="button button-small"
                    data-testid="webhook-send-test"
                    disabled=move || test.pending().get()
                    on:click=move |_| {
                        test.dispatch(SendTestWebhook { webhook_id: id });
                    }
                >
                    {move || if test.pending().get() { "Sending…" } else { "Send test event" }}
                </button>
                <button
                    type="button"
                    class="button button-small"
                    aria-expanded=move || show_log.get().to_string()
                    aria-controls=log_id.clone()
                    data-testid="webhook-toggle-log"
                    on:click=move |_| show_log.update(|s| *s = !*s)
                >
                    {move || if show_log.get() { "Hide delivery log" } else { "Delivery log" }}
                </button>
                <button
                    type="button"
                    class="button button-small button-danger-outline"
                    data-testid="webhook-delete"
                    on:click=move |_| {
                        delete.value().set(None);
                        confirming.set(true);
                    }
                >
                    "Delete…"
                </button>
                {move || {
                    confirming
                        .get()
                        .then(|| {
                            view! {
                                <ConfirmDialog
                                    title=question.clone()
                                    text="Its delivery log goes too; the receiver gets no more events."
                                    yes="Yes, delete"
                                    busy=delete.pending()
                                    error=crate::components::field::failure(delete.value())
                                    on_yes=Callback::new(move |_| {
                                        delete.dispatch(DeleteWebhook { webhook_id: id });
                                    })
                                    on_cancel=Callback::new(move |_| confirming.set(false))
                                />
                            }
                        })
                }}
            </div>
            <Show when=move || {
                show_secret.get()
            }>
                {move || match secret_text() {
                    None => view! { <p class="muted small">"Loading the secret…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="field-error">{e}</p> }.into_any(),
                    Some(Ok(s)) => {
                        view! {
                            <div class="webhook-secret-box">
                                <SecretLine secret=s />
                                <p class="muted small">
                                    "Compute HMAC-SHA256 with this secret over the t value of Shoal-Signature, a dot and the raw request body; compare it, in hex, with the v1 value."
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </Show>
            <NoticeLine notice />
            <div id=format!("webhook-log-{id}")>
                <Show when=move || show_log.get()>
                    <DeliveryLog webhook_id=id sent=test.version() />
                </Show>
            </div>
        </li>
    }
}

/// Reloads every couple of seconds while a delivery is on its way, so statuses change by themselves.
fn poll_while_pending(
    data: LocalResource<Result<Vec<DeliveryView>, AppError>>,
    tick: RwSignal<u32>,
) {
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let busy = data
                    .get_untracked()
                    .and_then(|r| r.ok())
                    .is_some_and(|rows| rows.iter().any(DeliveryView::pending));
                if busy {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_millis(2000),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
}

fn status_class(status: &str) -> &'static str {
    match status {
        "delivered" => "status status-ok",
        "retrying" => "status status-warn",
        "failed" => "status status-bad",
        _ => "status",
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "delivered" => "Delivered",
        "retrying" => "Retrying",
        "failed" => "Failed",
        _ => "Queued",
    }
}

#[component]
fn DeliveryLog(webhook_id: WebhookId, sent: RwSignal<usize>) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    // Only ever shown after a click: loaded in the browser.
    let data = LocalResource::new(move || {
        sent.track();
        tick.track();
        list_webhook_deliveries(webhook_id)
    });
    poll_while_pending(data, tick);
    view! {
        <div class="webhook-log" data-testid="webhook-log">
            <div class="webhook-log-head">
                <h4>"Delivery log"</h4>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| tick.update(|t| *t += 1)
                >
                    "Refresh"
                </button>
            </div>
            // A boundary of its own: the log must not hold up the webhook list around it.
            <Transition fallback=|| {
                view! { <p class="loading">"Loading deliveries…"</p> }
            }>
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
                    Some(Ok(rows)) if rows.is_empty() => {
                        view! {
                            <p class="empty-inline">
                                "Nothing sent yet. Press \"Send test event\" to try the URL."
                            </p>
                        }
                            .into_any()
                    }
                    Some(Ok(rows)) => {
                        view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <caption class="sr-only">
                                        "The newest deliveries to this webhook, newest first"
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th>"Time"</th>
                                            <th>"Event"</th>
                                            <th>"Status"</th>
                                            <th class="num">"HTTP"</th>
                                            <th class="num">"Attempts"</th>
                                            <th>"Error"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|d| {
                                                view! {
                                                    <tr data-testid="delivery-row" data-status=d.status.clone()>
                                                        <td class="nowrap" title=format!("Delivery {}", d.id)>
                                                            {format::date_time(
                                                                d.last_attempt_at.unwrap_or(d.created_at),
                                                            )}
                                                        </td>
                                                        <td>
                                                            <code>{d.event.clone()}</code>
                                                        </td>
                                                        <td>
                                                            <span class=status_class(
                                                                &d.status,
                                                            )>{status_label(&d.status)}</span>
                                                        </td>
                                                        <td class="num">
                                                            {d
                                                                .response_status
                                                                .map(|s| s.to_string())
                                                                .unwrap_or_else(|| "—".into())}
                                                        </td>
                                                        <td class="num">{d.attempts}</td>
                                                        <td class="webhook-error">
                                                            {d.error.clone().unwrap_or_default()}
                                                        </td>
                                                    </tr>
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
            </Transition>
        </div>
    }
}
