//! Settings → API: the academy's OAuth applications ("Register a new OAuth application", rename,
//! revoke) and copy-paste `curl` examples with the academy's real base URL.

use leptos::prelude::*;

use crate::{
    api::api_clients::{RegisterApiClient, RenameApiClient, RevokeApiClient, list_api_clients},
    components::{
        copy_button::CopyButton,
        dialog::ConfirmDialog,
        field::FormAlert,
        notice::{Notice, NoticeLine},
    },
    format,
    model::{ApiClientView, ApiSettings, NewApiClient},
};

#[component]
pub fn ApiTab() -> impl IntoView {
    let version = RwSignal::new(0u32);
    // In the page's HTML from the server; reloaded after each change.
    let settings = Resource::new(move || version.get(), |_| list_api_clients());
    let registering = RwSignal::new(false);
    let created = RwSignal::new(None::<NewApiClient>);
    let notice = Notice::default();
    let reload = move || version.update(|v| *v += 1);
    view! {
        <Transition fallback=|| {
            view! {
                <p class="muted" aria-busy="true">
                    "Loading applications…"
                </p>
            }
        }>
            <section class="settings-section" aria-labelledby="api-title">
                <div class="section-head">
                    <h2 id="api-title">"API applications"</h2>
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="register-app"
                        on:click=move |_| {
                            created.set(None);
                            registering.set(true);
                        }
                    >
                        "Register a new OAuth application"
                    </button>
                </div>
                <p class="muted">
                    "An application (your HR system, a script) gets a Client ID and Client Secret here, exchanges them for an access token at "
                    <code>"/oauth/token"</code>
                    " and calls the API with it. Only the Owner and Administrators see this page."
                </p>
                <NoticeLine notice test_id="api-notice" />
                <Show when=move || registering.get()>
                    <RegisterForm
                        on_cancel=Callback::new(move |_| registering.set(false))
                        on_created=Callback::new(move |c: NewApiClient| {
                            registering.set(false);
                            created.set(Some(c));
                            reload();
                        })
                    />
                </Show>
                {move || {
                    created
                        .get()
                        .map(|c| {
                            view! {
                                <NewSecret
                                    client=c
                                    on_done=Callback::new(move |_| created.set(None))
                                />
                            }
                        })
                }}
                {move || match settings.get() {
                    None => ().into_any(),
                    Some(Err(e)) => {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e.to_string()}
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(s)) if s.clients.is_empty() => {
                        view! {
                            <div class="empty-state" data-testid="api-empty">
                                <h3>"No applications yet"</h3>
                                <p>
                                    "Register one to get a Client ID and Client Secret for the system that will invite learners or read your teams."
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(s)) => {
                        view! {
                            <ClientList
                                clients=s.clients
                                notice
                                on_changed=Callback::new(move |_| reload())
                            />
                        }
                            .into_any()
                    }
                }}
            </section>
            {move || {
                settings
                    .get()
                    .and_then(|r| r.ok())
                    .map(|s| {
                        let client_id = created.get().map(|c| c.client.client_id);
                        view! { <Examples settings=s client_id /> }
                    })
            }}
        </Transition>
    }
}

#[component]
fn RegisterForm(on_cancel: Callback<()>, on_created: Callback<NewApiClient>) -> impl IntoView {
    let action = ServerAction::<RegisterApiClient>::new();
    let name = RwSignal::new(String::new());
    let callback = RwSignal::new(String::new());
    let name_input = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(name_input);
    Effect::new(move |_| {
        if let Some(Ok(c)) = action.value().get() {
            on_created.run(c);
        }
    });
    let error = move |field: &'static str| {
        move || {
            action
                .value()
                .get()
                .and_then(|r| r.err())
                .and_then(|e| e.field_message(field))
        }
    };
    let form_error = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !e.is_field_error())
            .map(|e| e.to_string())
    });
    view! {
        <form
            class="panel api-register"
            data-testid="register-form"
            on:submit=move |ev| {
                ev.prevent_default();
                action
                    .dispatch(RegisterApiClient {
                        name: name.get_untracked(),
                        callback_uri: callback.get_untracked(),
                    });
            }
        >
            <h3>"Register a new OAuth application"</h3>
            <FormAlert message=form_error />
            <label class="field">
                <span>"Name"</span>
                <input
                    node_ref=name_input
                    type="text"
                    name="name"
                    required
                    maxlength="80"
                    placeholder="HR system"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=move || error("name")().is_some().to_string()
                />
                {move || error("name")().map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <label class="field">
                <span>"Callback URI "<span class="muted small">"(optional)"</span></span>
                <input
                    type="url"
                    name="callback_uri"
                    placeholder="https://hr.example.com/shoal/callback"
                    prop:value=move || callback.get()
                    on:input=move |ev| callback.set(event_target_value(&ev))
                    aria-invalid=move || error("callback_uri")().is_some().to_string()
                />
                {move || {
                    error("callback_uri")().map(|m| view! { <span class="field-error">{m}</span> })
                }}
            </label>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || action.pending().get()
                >
                    {move || {
                        if action.pending().get() {
                            "Registering…"
                        } else {
                            "Register application"
                        }
                    }}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// The credentials of an application just registered; the secret is never shown again.
#[component]
fn NewSecret(client: NewApiClient, on_done: Callback<()>) -> impl IntoView {
    let id = client.client.client_id.clone();
    let secret = client.client_secret.clone();
    view! {
        <div class="panel api-secret" role="status" data-testid="new-credentials">
            <h3>{format!("\"{}\" is registered", client.client.name)}</h3>
            <p class="alert alert-warning">
                "Copy the Client Secret now and keep it safe: Shoal stores only a fingerprint of it and cannot show it again. Lost it? Revoke the application and register a new one."
            </p>
            <dl class="credentials">
                <dt>"Client ID"</dt>
                <dd>
                    <code data-testid="client-id">{id.clone()}</code>
                    " "
                    <CopyButton text=id what="Copy the Client ID" />
                </dd>
                <dt>"Client Secret"</dt>
                <dd>
                    <code data-testid="client-secret">{secret.clone()}</code>
                    " "
                    <CopyButton text=secret what="Copy the Client Secret" />
                </dd>
            </dl>
            <button type="button" class="button" on:click=move |_| on_done.run(())>
                "I have copied the secret"
            </button>
        </div>
    }
}

#[component]
fn ClientList(
    clients: Vec<ApiClientView>,
    notice: Notice,
    on_changed: Callback<()>,
) -> impl IntoView {
    view! {
        <table class="table api-clients" data-testid="api-clients">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Client ID"</th>
                    <th scope="col">"Registered"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col">
                        <span class="sr-only">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {clients
                    .into_iter()
                    .map(|c| view! { <ClientRow client=c notice on_changed /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ClientRow(client: ApiClientView, notice: Notice, on_changed: Callback<()>) -> impl IntoView {
    let id = client.id;
    let revoked = client.revoked_at;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let name = RwSignal::new(client.name.clone());
    let rename = ServerAction::<RenameApiClient>::new();
    let revoke = ServerAction::<RevokeApiClient>::new();
    let old_name = client.name.clone();
    let rename_input = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(rename_input);
    notice.follow(rename.value(), move |c: ApiClientView| {
        editing.set(false);
        on_changed.run(());
        Some(format!("Renamed: the application is now \"{}\".", c.name))
    });
    notice.follow(revoke.value(), move |_| {
        on_changed.run(());
        Some(format!(
            "\"{old_name}\" is revoked: its tokens no longer work."
        ))
    });
    let client_id = client.client_id.clone();
    view! {
        <tr class:revoked=revoked.is_some() data-testid="api-client-row">
            <td>
                {move || {
                    if editing.get() {
                        view! {
                            <form
                                class="inline-form"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    rename
                                        .dispatch(RenameApiClient {
                                            id,
                                            name: name.get_untracked(),
                                        });
                                }
                            >
                                <label class="sr-only" for=format!("app-name-{id}")>
                                    "Name"
                                </label>
                                <input
                                    node_ref=rename_input
                                    id=format!("app-name-{id}")
                                    type="text"
                                    maxlength="80"
                                    required
                                    prop:value=move || name.get()
                                    on:input=move |ev| name.set(event_target_value(&ev))
                                    on:keydown=move |ev| {
                                        if ev.key() == "Escape" {
                                            ev.stop_propagation();
                                            editing.set(false);
                                        }
                                    }
                                />
                                " "
                                <button
                                    type="submit"
                                    class="button button-small button-primary"
                                    disabled=move || rename.pending().get()
                                >
                                    "Save"
                                </button>
                                " "
                                <button
                                    type="button"
                                    class="button button-small"
                                    on:click=move |_| editing.set(false)
                                >
                                    "Cancel"
                                </button>
                            </form>
                        }
                            .into_any()
                    } else {
                        view! {
                            <strong>{move || name.get()}</strong>
                            {client
                                .callback_uri
                                .clone()
                                .map(|u| {
                                    view! {
                                        <br />
                                        <span class="muted small">{u}</span>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }}
            </td>
            <td>
                <code>{client.client_id.clone()}</code>
                " "
                <CopyButton text=client_id what="Copy the Client ID" />
            </td>
            <td>
                {format::date(client.created_at)}<br />
                <span class="muted small">{format!("by {}", client.created_by)}</span>
            </td>
            <td>{client.last_used_at.map(format::date_time).unwrap_or_else(|| "Never".into())}</td>
            <td class="row-actions">
                {match revoked {
                    Some(at) => {
                        view! {
                            <span class="badge badge-muted">
                                {format!("Revoked {}", format::date(at))}
                            </span>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <button
                                type="button"
                                class="button button-small"
                                on:click=move |_| editing.set(true)
                            >
                                "Rename"
                            </button>
                            " "
                            <button
                                type="button"
                                class="button button-small button-danger-outline"
                                on:click=move |_| {
                                    revoke.value().set(None);
                                    confirming.set(true);
                                }
                            >
                                "Revoke…"
                            </button>
                            {move || {
                                confirming
                                    .get()
                                    .then(|| {
                                        view! {
                                            <ConfirmDialog
                                                title=format!("Revoke \"{}\"?", name.get_untracked())
                                                text="Its access tokens stop working at once and its secret can no longer get new ones."
                                                yes="Yes, revoke"
                                                busy=revoke.pending()
                                                error=crate::components::field::failure(revoke.value())
                                                on_yes=Callback::new(move |_| {
                                                    revoke.dispatch(RevokeApiClient { id });
                                                })
                                                on_cancel=Callback::new(move |_| confirming.set(false))
                                            />
                                        }
                                    })
                            }}
                        }
                            .into_any()
                    }
                }}
            </td>
        </tr>
    }
}

/// Puts the cursor in `input` when it appears (`autofocus` only works when a page loads).
fn focus_when_shown(input: NodeRef<leptos::html::Input>) {
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
}

/// One titled command with its copy button.
#[component]
fn Example(title: &'static str, command: String) -> impl IntoView {
    let copy = command.clone();
    view! {
        <div class="api-example">
            <div class="api-example-head">
                <h4>{title}</h4>
                <CopyButton text=copy what=format!("Copy: {title}") />
            </div>
            <pre>
                <code>{command}</code>
            </pre>
        </div>
    }
}

/// Copy-paste `curl` examples with the academy's base URL (and the new client's id, when there is one).
#[component]
fn Examples(settings: ApiSettings, client_id: Option<String>) -> impl IntoView {
    let base = settings.base_url.clone();
    let id = client_id.unwrap_or_else(|| "YOUR_CLIENT_ID".into());
    let token = format!(
        "curl -X POST {base}/oauth/token \\\n  -d grant_type=client_credentials \\\n  -d client_id={id} \\\n  -d client_secret=YOUR_CLIENT_SECRET"
    );
    let call = |body: &str| {
        format!(
            "curl -X POST {base}/api/v1/ \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -H \"Content-Type: application/json\" \\\n  -d '{body}'"
        )
    };
    let teams = call(r#"{"action": "getTeams", "options": {}}"#);
    let invite = call(
        r#"{"action": "inviteLearners", "options": {
        "teams": [TEAM_ID],
        "send_email": true,
        "learners": [
          {"email": "ann@example.com", "first_name": "Ann", "last_name": "Lee", "role": "learner"}
        ]}}"#,
    );
    let add = call(
        r#"{"action": "addLearnersToTeams", "options": {"emails": ["ann@example.com"], "teams": [TEAM_ID]}}"#,
    );
    let form = format!(
        "curl -X POST {base}/api/v1/ \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  --data-urlencode 'action=inviteLearners' \\\n  --data-urlencode 'options[learners][0][email]=ann@example.com' \\\n  --data-urlencode 'options[learners][0][first_name]=Ann'"
    );
    view! {
        <section
            class="settings-section"
            aria-labelledby="api-docs-title"
            data-testid="api-examples"
        >
            <h2 id="api-docs-title">"Calling the API"</h2>
            <p class="muted">
                "Every call is a POST to "<code>{format!("{base}/api/v1/")}</code>" with an "
                <code>"action"</code>" and its "<code>"options"</code>
                ", as JSON or form-encoded. Answers are JSON arrays, one item per learner or email; errors are "
                <code>"{\"error\": {\"message\": \"…\"}}"</code>". The full description: "
                <a href="/api/v1/openapi.json" target="_blank" rel="noopener">
                    "OpenAPI document"
                </a>"."
            </p>
            <p class="muted small">
                {format!(
                    "Each application may make {} calls in a burst and {} per second after that; beyond, the API answers 429 with Retry-After. Repeating the same inviteLearners call within 24 hours (or with the same Idempotency-Key header) answers what the first did and sends nothing again. Tokens last 7 days.",
                    settings.burst,
                    settings.per_second,
                )}
            </p>
            <Example title="1. Get an access token" command=token />
            <Example title="2. List teams (their ids go into \"teams\")" command=teams />
            <Example title="3. Invite learners" command=invite />
            <Example title="4. Add learners or invitations to teams" command=add />
            <Example title="Form-encoded, with bracket notation" command=form />
        </section>
    }
}
