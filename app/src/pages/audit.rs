//! `/a/:slug/admin/audit`: the academy's audit log — who did what, when — filtered by kind of action,
//! person, dates and text, paged, and exported as CSV. The filters live in the URL, so a filtered
//! view can be reloaded, bookmarked and shared. The first page arrives with the HTML, in UTC; once
//! hydrated, times show in the viewer's own time zone (only the browser knows it).

use leptos::{ev, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::{
    api::audit::{ExportAudit, list_audit, list_audit_people},
    components::{
        browser,
        nav::use_academy,
        notice::{Notice, NoticeLine},
    },
    domain::{
        Permission,
        audit::{ACTION_GROUPS, AuditQuery, MAX_EXPORT_ROWS, zone_label},
        statistics::thousands,
    },
    format,
    model::audit::{AuditActor, AuditEntry, AuditExport, AuditPeople, AuditPerson},
};

const CSV: &str = "text/csv;charset=utf-8";

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=Permission::ViewAuditLog>
            <AuditLog />
        </crate::pages::admin_shell::RequirePermission>
    }
}

/// Minutes the browser's time zone is ahead of UTC at `ms` (daylight saving included). Browser only.
fn utc_offset_at(ms: f64) -> i32 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset() as i32)
}

/// Minutes the browser's time zone is ahead of UTC now. Browser only.
fn utc_offset_now() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// "1 Dec 2026, 14:05" in the browser's time zone. Browser only.
fn local_when(ms: i64) -> String {
    let local = ms + i64::from(utc_offset_at(ms as f64)) * 60_000;
    let secs = local.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02}",
        format::date(local),
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// The page's address for a query: only the filters that are set, and the page when past the first.
fn address(slug: &str, q: &AuditQuery) -> String {
    let mut parts = vec![];
    for (key, value) in [
        ("action", &q.action),
        ("who", &q.who),
        ("from", &q.from),
        ("to", &q.to),
        ("q", &q.search),
    ] {
        if !value.trim().is_empty() {
            parts.push(format!("{key}={}", format::query_value(value)));
        }
    }
    if q.page > 1 {
        parts.push(format!("page={}", q.page));
    }
    let query = if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    };
    format!("/a/{slug}/admin/audit{query}")
}

#[component]
fn AuditLog() -> impl IntoView {
    let slug = use_academy().academy.slug;
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let m = url.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        AuditQuery {
            action: get("action"),
            who: get("who"),
            from: get("from"),
            to: get("to"),
            search: get("q"),
            page: get("page").parse().unwrap_or(1).max(1),
            utc_offset_min: 0,
        }
    });
    let navigate = use_navigate();
    // Every change of a filter replaces the address (and starts again at page 1).
    let go = {
        let slug = slug.clone();
        Callback::new(move |q: AuditQuery| {
            navigate(
                &address(&slug, &q),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        })
    };
    let change = move |edit: fn(&mut AuditQuery, String)| {
        move |value: String| {
            let mut q = query.get_untracked();
            edit(&mut q, value);
            q.page = 1;
            go.run(q);
        }
    };
    // The search box types into its own signal; the address follows after a pause in typing.
    let search = RwSignal::new(query.get_untracked().search);
    let pending_search = StoredValue::new(None::<TimeoutHandle>);
    let commit_search = move || {
        if let Some(h) = pending_search.get_value() {
            h.clear();
        }
        pending_search.set_value(None);
        let text = search.get_untracked();
        if text != query.get_untracked().search {
            change(|q, v| q.search = v)(text);
        }
    };
    // The address may change by itself (Back, "Clear filters"): the box follows.
    Effect::new(move |_| {
        let from_url = query.get().search;
        if pending_search.get_value().is_none() && search.get_untracked() != from_url {
            search.set(from_url);
        }
    });

    // Times and date filters are the viewer's time zone, which only the browser knows: the page
    // arrives in UTC, and once hydrated it shows local times (and asks again if the zone moves a
    // date filter's bounds).
    let in_browser = RwSignal::new(false);
    Effect::new(move |_| in_browser.set(true));
    let data = Resource::new(
        move || {
            let mut q = query.get();
            q.utc_offset_min = if in_browser.get() {
                utc_offset_now()
            } else {
                0
            };
            q
        },
        list_audit,
    );
    let people = Resource::new(|| (), |_| list_audit_people());
    let export = ServerAction::<ExportAudit>::new();
    // The export's news belongs to the filters it was made with, so it goes when they change.
    let notice = Notice::default();
    Effect::new(move |_| {
        query.track();
        notice.clear();
    });
    let file_slug = slug.clone();
    notice.follow(export.value(), move |x| {
        browser::download(&format!("audit-log-{file_slug}.csv"), &x.csv, CSV);
        Some(export_news(&x))
    });
    let loaded = move || data.get().and_then(|r| r.ok());
    let total = move || loaded().map(|p| p.total).unwrap_or(0);
    let pages = move || loaded().map(|p| p.pages()).unwrap_or(1);
    let clear = move |_| {
        search.set(String::new());
        go.run(AuditQuery::default());
    };
    let set_page = move |page: u32| {
        let mut q = query.get_untracked();
        q.page = page;
        go.run(q);
    };

    view! {
        <Title text="Audit log" />
        <Transition fallback=|| {
            view! {
                <h1>"Audit log"</h1>
                <p class="loading">"Loading the audit log…"</p>
            }
        }>
            <div class="page-head">
                <div>
                    <h1>"Audit log"</h1>
                    <p class="muted page-lead">
                        "Who did what in the academy, newest first: invitations, learners, teams, courses, sign-ins, settings and integrations."
                    </p>
                </div>
                <div class="page-head-actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="audit-export"
                        disabled=move || export.pending().get() || total() == 0
                        on:click=move |_| {
                            let mut q = query.get_untracked();
                            q.utc_offset_min = utc_offset_now();
                            export.dispatch(ExportAudit { query: q });
                        }
                    >
                        {move || if export.pending().get() { "Exporting…" } else { "Export CSV" }}
                    </button>
                    <span class="muted small">
                        {format!(
                            "The filtered entries, up to {}",
                            thousands(MAX_EXPORT_ROWS as i64),
                        )}
                    </span>
                </div>
            </div>
            <form
                class="audit-filters"
                role="search"
                aria-label="Filter the audit log"
                data-testid="audit-filters"
                on:submit=move |ev: ev::SubmitEvent| {
                    ev.prevent_default();
                    commit_search();
                }
            >
                <label class="filter">
                    <span>"Action"</span>
                    <select
                        data-testid="filter-action"
                        prop:value=move || query.get().action
                        on:change=move |ev| change(|q, v| q.action = v)(event_target_value(&ev))
                    >
                        <option value="" selected=move || query.get().action.is_empty()>
                            "All actions"
                        </option>
                        {ACTION_GROUPS
                            .iter()
                            .map(|g| {
                                let key = g.key;
                                view! {
                                    <option value=key selected=move || query.get().action == key>
                                        {g.label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filter">
                    <span>"Who"</span>
                    <select
                        data-testid="filter-who"
                        prop:value=move || query.get().who
                        on:change=move |ev| change(|q, v| q.who = v)(event_target_value(&ev))
                    >
                        {move || {
                            let chosen = query.get().who;
                            let list = people.get().and_then(|r| r.ok()).unwrap_or_default();
                            view! { <WhoOptions people=list chosen /> }
                        }}
                    </select>
                </label>
                <label class="filter">
                    <span>"From"</span>
                    <input
                        type="date"
                        data-testid="filter-from"
                        prop:value=move || query.get().from
                        on:change=move |ev| change(|q, v| q.from = v)(event_target_value(&ev))
                    />
                </label>
                <label class="filter">
                    <span>"To"</span>
                    <input
                        type="date"
                        data-testid="filter-to"
                        prop:value=move || query.get().to
                        on:change=move |ev| change(|q, v| q.to = v)(event_target_value(&ev))
                    />
                </label>
                <label class="filter filter-grow">
                    <span>"Search"</span>
                    <input
                        type="search"
                        data-testid="filter-search"
                        placeholder="Email, team, application…"
                        maxlength=crate::domain::search::SEARCH_MAX_CHARS
                        aria-describedby="audit-search-hint"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            search.set(event_target_value(&ev));
                            if let Some(h) = pending_search.get_value() {
                                h.clear();
                            }
                            pending_search
                                .set_value(
                                    set_timeout_with_handle(
                                            commit_search,
                                            std::time::Duration::from_millis(350),
                                        )
                                        .ok(),
                                );
                        }
                    />
                    <span class="sr-only" id="audit-search-hint">
                        "Matches the target and the detail of each entry."
                    </span>
                </label>
                <Show when=move || query.get().is_filtered()>
                    <button
                        type="button"
                        class="link-button audit-clear"
                        data-testid="filter-clear"
                        on:click=clear
                    >
                        "Clear filters"
                    </button>
                </Show>
            </form>
            <NoticeLine notice test_id="audit-notice" />
            {move || match data.get() {
                None => ().into_any(),
                Some(Err(e)) => {
                    view! {
                        <div class="alert alert-error" role="alert" data-testid="audit-error">
                            {e.to_string()}
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() && !query.get_untracked().is_filtered() => {
                    view! {
                        <section class="empty-state" data-testid="audit-empty">
                            <h2>"Nothing recorded yet"</h2>
                            <p>
                                "Every invitation, role change, team and course change, sign-in and settings change is recorded here with who made it and when."
                            </p>
                        </section>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() => {
                    view! {
                        <p class="empty-inline" data-testid="audit-no-match">
                            "No entry matches these filters. "
                            <button type="button" class="link-button" on:click=clear>
                                "Clear filters"
                            </button>
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(p)) => {
                    let page = p.page;
                    view! {
                        <div class="audit-meta">
                            <span class="muted small" data-testid="audit-total">
                                {if p.total == 1 {
                                    "1 entry".to_string()
                                } else {
                                    format!("{} entries", thousands(p.total))
                                }}
                                {move || {
                                    if in_browser.get() {
                                        format!(
                                            " · times in your time zone ({})",
                                            zone_label(utc_offset_now()),
                                        )
                                    } else {
                                        " · times in UTC".to_string()
                                    }
                                }}
                            </span>
                            <AuditPager page pages=pages() set_page />
                        </div>
                        <div class="table-wrap">
                            <table class="table audit-table" data-testid="audit-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"When"</th>
                                        <th scope="col">"Who"</th>
                                        <th scope="col">"What"</th>
                                        <th scope="col">"Target"</th>
                                        <th scope="col">"Detail"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|e| view! { <AuditRow entry=e local=in_browser /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <AuditPager page pages=pages() set_page />
                    }
                        .into_any()
                }
            }}
        </Transition>
    }
}

/// What an export says once the file is saved.
fn export_news(x: &AuditExport) -> String {
    if x.capped {
        format!(
            "Exported the newest {} entries: more match these filters. Narrow the dates to export the older ones.",
            thousands(x.rows as i64)
        )
    } else if x.rows == 1 {
        "Exported 1 entry.".to_string()
    } else {
        format!("Exported {} entries.", thousands(x.rows as i64))
    }
}

/// "Anyone", "System and API applications", then the people who appear in the log.
#[component]
fn WhoOptions(people: AuditPeople, chosen: String) -> impl IntoView {
    let known = chosen.is_empty()
        || chosen == "system"
        || people
            .managers
            .iter()
            .chain(people.others.iter())
            .any(|p| p.id.to_string() == chosen);
    let option = |p: AuditPerson, chosen: &str| {
        let value = p.id.to_string();
        let selected = value == chosen;
        view! {
            <option value=value selected=selected>
                {format!("{} — {}", p.name, p.email)}
            </option>
        }
    };
    let c = chosen.clone();
    let managers = people
        .managers
        .into_iter()
        .map(|p| option(p, &c))
        .collect_view();
    let others = people
        .others
        .into_iter()
        .map(|p| option(p, &c))
        .collect_view();
    view! {
        <option value="" selected=chosen.is_empty()>
            "Anyone"
        </option>
        <option value="system" selected=chosen == "system">
            "System and API applications"
        </option>
        {(!known)
            .then(|| {
                view! {
                    <option value=chosen.clone() selected=true>
                        "The chosen person"
                    </option>
                }
            })}
        <optgroup label="Owner and administrators">{managers}</optgroup>
        <optgroup label=if people.more {
            "Learners (the most recently active)"
        } else {
            "Learners"
        }>{others}</optgroup>
    }
}

#[component]
fn AuditPager(
    page: u32,
    pages: u32,
    set_page: impl Fn(u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                <button
                    type="button"
                    class="button"
                    data-testid="audit-prev"
                    disabled={page <= 1}
                    on:click=move |_| set_page(page - 1)
                >
                    "Previous"
                </button>
                <span class="muted">{format!("Page {page} of {pages}")}</span>
                <button
                    type="button"
                    class="button"
                    data-testid="audit-next"
                    disabled={page >= pages}
                    on:click=move |_| set_page(page + 1)
                >
                    "Next"
                </button>
            </nav>
        }
    })
}

/// One entry. `local`: the browser's time zone is known (after hydration); until then, UTC.
#[component]
fn AuditRow(entry: AuditEntry, local: RwSignal<bool>) -> impl IntoView {
    let who = match entry.actor {
        AuditActor::Person { name, email } => view! {
            <strong>{name}</strong>
            <br />
            <span class="muted small">{email}</span>
        }
        .into_any(),
        AuditActor::Api { application } => view! {
            <strong>{application}</strong>
            <br />
            <span class="muted small">"API application"</span>
        }
        .into_any(),
        other => view! { <span class="muted">{other.name()}</span> }.into_any(),
    };
    view! {
        <tr data-testid="audit-row" data-action=entry.action.clone()>
            <td class="nowrap">
                <span title=format::date_time(
                    entry.at,
                )>
                    {move || {
                        if local.get() { local_when(entry.at) } else { format::date_time(entry.at) }
                    }}
                </span>
            </td>
            <td>{who}</td>
            <td title=entry.action.clone()>{entry.what}</td>
            <td class="audit-target">{entry.target}</td>
            <td class="muted audit-detail">{entry.detail}</td>
        </tr>
    }
}
