//! The preview of a read file: what was noticed, which column is what, the counts (each one a
//! filter), every row in a virtualised table (only the rows in view exist in the page, so 100,000
//! rows scroll like 10), a fix-in-place form for a refused row, the problems report, and the
//! options for the whole upload.

use leptos::{ev, html, prelude::*};

use super::{Upload, send::Sending};
use crate::{
    domain::{
        csv_import::{self, ColumnMap, HeaderGuess, ImportRow, RowStatus, thousands},
        invite::InviteeInput,
        invite_decision::{Decision, Refusal, decide},
        role::Role,
    },
    format,
    pages::learners::invite_options::{InviteOptions, InviteOptionsFields},
};

/// Height of one table row in pixels (fixed, so the scroll position says which rows are in view).
const ROW_H: f64 = 44.0;
/// Rows visible at once; the box is this tall (shorter for a short file, at least two rows).
const VIEW_ROWS: usize = 10;
/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 6;

/// Which rows the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Ready,
    Learners,
    Invited,
    Problems,
    Duplicates,
    Empty,
}

/// What a row becomes, with what the academy already knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ready,
    Learner,
    Invited,
    /// Ready, but the academy's rule leaves the address alone (a staff address, an
    /// administrator's pending invitation): the server refuses it too.
    Refused(Refusal),
    Problem,
    Duplicate,
    Empty,
}

/// What becomes of `row`, whose address is `email`.
fn kind(row: &ImportRow, email: &str, known: &csv_import::Known) -> Kind {
    match row.status {
        // An upload invites learners; every learner role is decided alike.
        RowStatus::Ready => match decide(Role::Learner, known.of(email)) {
            Decision::Invite => Kind::Ready,
            Decision::JoinTeams(()) => Kind::Learner,
            Decision::Renew(()) => Kind::Invited,
            Decision::Refuse(why) => Kind::Refused(why),
        },
        RowStatus::Problem(_) => Kind::Problem,
        RowStatus::Duplicate { .. } => Kind::Duplicate,
        RowStatus::Empty => Kind::Empty,
    }
}

impl Show {
    fn includes(self, k: Kind) -> bool {
        match self {
            Show::All => true,
            Show::Ready => k == Kind::Ready,
            Show::Learners => k == Kind::Learner,
            Show::Invited => k == Kind::Invited,
            Show::Problems => matches!(k, Kind::Problem | Kind::Refused(_)),
            Show::Duplicates => k == Kind::Duplicate,
            Show::Empty => k == Kind::Empty,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    all: usize,
    ready: usize,
    learners: usize,
    invited: usize,
    problems: usize,
    duplicates: usize,
    empty: usize,
}

fn status_text(row: &ImportRow, email: &str, k: Kind) -> String {
    match k {
        Kind::Ready => "Ready".into(),
        Kind::Learner => "Already a learner: joins the chosen teams, no email".into(),
        Kind::Invited => "Already invited: the invitation is renewed".into(),
        Kind::Refused(why) => format!("{} This row is skipped.", why.message(email.trim())),
        _ => row.status.describe(),
    }
}

fn column_label(first_row: &[String], header: bool, column: usize) -> String {
    let cell = first_row.get(column).map(|c| c.trim()).unwrap_or("");
    let cell: String = cell.chars().take(24).collect();
    match (header, cell.is_empty()) {
        (true, false) => cell,
        (_, true) => format!("Column {}", column + 1),
        (false, false) => format!("Column {} (“{cell}”)", column + 1),
    }
}

#[component]
pub(super) fn PreviewPanel(
    up: Upload,
    sending: Sending,
    options: InviteOptions,
    on_close: Callback<()>,
) -> impl IntoView {
    let show = RwSignal::new(Show::All);
    let editing = RwSignal::new(None::<usize>);
    let scroll_top = RwSignal::new(0.0f64);
    let scroller = NodeRef::<html::Div>::new();
    let tally = Memo::new(move |_| {
        up.with(|p| {
            up.known.with_value(|known| {
                let mut t = Tally {
                    all: p.rows.len(),
                    ..Tally::default()
                };
                for (i, r) in p.rows.iter().enumerate() {
                    match kind(r, p.fields(i).email, known) {
                        Kind::Ready => t.ready += 1,
                        Kind::Learner => t.learners += 1,
                        Kind::Invited => t.invited += 1,
                        Kind::Problem | Kind::Refused(_) => t.problems += 1,
                        Kind::Duplicate => t.duplicates += 1,
                        Kind::Empty => t.empty += 1,
                    }
                }
                t
            })
        })
        .unwrap_or_default()
    });
    // Positions (in `rows`) of the rows the filter shows.
    let shown = Memo::new(move |_| {
        let filter = show.get();
        up.with(|p| {
            up.known.with_value(|known| {
                if filter == Show::All {
                    return (0..p.rows.len() as u32).collect::<Vec<u32>>();
                }
                p.rows
                    .iter()
                    .enumerate()
                    .filter(|(i, r)| filter.includes(kind(r, p.fields(*i).email, known)))
                    .map(|(i, _)| i as u32)
                    .collect()
            })
        })
        .unwrap_or_default()
    });
    let choose = move |s: Show| {
        show.set(if show.get_untracked() == s {
            Show::All
        } else {
            s
        });
        editing.set(None);
        scroll_top.set(0.0);
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
    };
    // Keyed by (place, row, version): a row keeps its view while it stays in the same place and
    // nothing changed; another filter or a fix draws it anew.
    let window = move || {
        let shown = shown.get();
        let first = (scroll_top.get() / ROW_H) as usize;
        let start = first.saturating_sub(OVERSCAN).min(shown.len());
        let end = (first + VIEW_ROWS + OVERSCAN).min(shown.len());
        let version = up.version.get();
        (start..end)
            .map(|pos| (pos, shown[pos] as usize, version))
            .collect::<Vec<_>>()
    };
    let chip = move |s: Show,
                     (one, many): (&'static str, &'static str),
                     count: fn(&Tally) -> usize,
                     class: &'static str| {
        view! {
            <button
                type="button"
                class=format!("count-chip {class}")
                aria-pressed=move || (show.get() == s).to_string()
                class:hidden=move || s != Show::All && count(&tally.get()) == 0
                on:click=move |_| choose(s)
            >
                <strong>{move || thousands(count(&tally.get()))}</strong>
                " "
                {move || format::noun(count(&tally.get()) as i64, one, many)}
            </button>
        }
    };
    let summary = move || {
        up.with(|p| {
            let mut parts = vec![
                up.file_name.get(),
                p.encoding.label().to_string(),
                format::count(p.total() as i64, "row", "rows"),
            ];
            if matches!(p.header, HeaderGuess::Header { .. }) {
                parts.push("header row found".into());
            }
            parts.join(" · ")
        })
    };
    let notes = move || up.with(|p| p.notes.clone()).unwrap_or_default();
    let missing = move || up.with(|p| p.map.missing_message(&p.header)).flatten();
    let ready_total = move || {
        let t = tally.get();
        t.ready + t.learners + t.invited
    };
    let busy = move || up.checking.get().is_some() || up.looking_up.get();
    let timings = move || up.timings.get();
    let download_problems = move |_| up.download_problems();
    view! {
        <div
            class="csv-preview"
            data-testid="csv-preview"
            data-read-ms=move || format!("{:.1}", timings().read_ms)
            data-open-ms=move || format!("{:.1}", timings().open_ms)
            data-first-rows-ms=move || format!("{:.1}", timings().first_rows_ms)
            data-work-ms=move || format!("{:.1}", timings().work_ms)
            data-checked-ms=move || format!("{:.1}", timings().checked_ms)
            data-checked=move || (!busy()).to_string()
        >
            <div class="csv-file-line">
                <span class="csv-file-name">{summary}</span>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| {
                        up.clear();
                    }
                >
                    "Choose another file"
                </button>
            </div>
            {move || {
                let notes = notes();
                (!notes.is_empty())
                    .then(|| {
                        view! {
                            <ul class="csv-notes">
                                {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
            <ColumnPickers up />
            {move || {
                missing()
                    .map(|what| {
                        view! {
                            <div
                                class="alert alert-info"
                                role="status"
                                data-testid="csv-map-columns"
                            >
                                {what}
                            </div>
                        }
                    })
            }}
            {move || {
                up.checking
                    .get()
                    .map(|(checked, total)| {
                        view! {
                            <div class="csv-progress" role="status">
                                <progress max=total value=checked></progress>
                                <span class="small muted">
                                    {format!(
                                        "Checking rows… {} of {}",
                                        thousands(checked),
                                        thousands(total),
                                    )}
                                </span>
                            </div>
                        }
                    })
            }}
            {move || {
                up.looking_up
                    .get()
                    .then(|| {
                        view! {
                            <p class="small muted" role="status">
                                "Checking which addresses are learners or invited already…"
                            </p>
                        }
                    })
            }}
            {move || up.lookup_error.get().map(|e| view! { <p class="small field-error">{e}</p> })}
            <Show when=move || missing().is_none()>
                <div
                    class="count-chips"
                    role="group"
                    aria-label="Show rows"
                    data-testid="csv-counts"
                >
                    {chip(Show::All, ("row", "rows"), |t| t.all, "")}
                    {chip(
                        Show::Ready,
                        ("ready to invite", "ready to invite"),
                        |t| t.ready,
                        "chip-ok",
                    )}
                    {chip(
                        Show::Learners,
                        ("already a learner", "already learners"),
                        |t| t.learners,
                        "chip-info",
                    )}
                    {chip(
                        Show::Invited,
                        ("already invited", "already invited"),
                        |t| t.invited,
                        "chip-info",
                    )}
                    {chip(Show::Problems, ("problem", "problems"), |t| t.problems, "chip-bad")}
                    {chip(
                        Show::Duplicates,
                        ("duplicate", "duplicates"),
                        |t| t.duplicates,
                        "chip-warn",
                    )}
                    {chip(Show::Empty, ("empty", "empty"), |t| t.empty, "")}
                    {move || {
                        (tally.get().problems + tally.get().duplicates > 0)
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="link-button small"
                                        on:click=download_problems
                                    >
                                        "Download problems report"
                                    </button>
                                }
                            })
                    }}
                </div>
                <div
                    class="preview-table"
                    role="table"
                    aria-label="Rows of the file"
                    aria-rowcount=move || shown.get().len() + 1
                >
                    <div class="preview-row preview-head" role="row">
                        <span role="columnheader">"Line"</span>
                        <span role="columnheader">"First name"</span>
                        <span role="columnheader">"Last name"</span>
                        <span role="columnheader">"Email address"</span>
                        <span role="columnheader">"Status"</span>
                        <span role="columnheader" class="sr-only">
                            "Fix"
                        </span>
                    </div>
                    <div
                        class="preview-scroll"
                        node_ref=scroller
                        tabindex="0"
                        style:height=move || {
                            format!("{}px", ROW_H * shown.get().len().clamp(2, VIEW_ROWS) as f64)
                        }
                        on:scroll=move |ev| {
                            scroll_top
                                .set(event_target::<web_sys::Element>(&ev).scroll_top() as f64)
                        }
                    >
                        <div
                            class="preview-spacer"
                            style:height=move || format!("{}px", shown.get().len() as f64 * ROW_H)
                        >
                            <For
                                each=window
                                key=|row| *row
                                children=move |(pos, index, _)| {
                                    view! { <PreviewRow up index pos editing /> }
                                }
                            />
                        </div>
                        {move || {
                            (shown.get().is_empty() && up.checking.get().is_none())
                                .then(|| {
                                    view! { <p class="empty-inline">"No rows of this kind."</p> }
                                })
                        }}
                    </div>
                </div>
            </Show>
            <InviteOptionsFields options />
            <div class="dialog-actions">
                <span class="muted small dialog-actions-note">
                    {move || {
                        let t = tally.get();
                        let skipped = t.problems + t.duplicates;
                        (skipped > 0)
                            .then(|| {
                                format!(
                                    "{} left out; fix {} above or download the report.",
                                    format::count(
                                        skipped as i64,
                                        "row with a problem is",
                                        "rows with problems are",
                                    ),
                                    format::noun(skipped as i64, "it", "them"),
                                )
                            })
                    }}
                </span>
                <button type="button" class="button" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="csv-submit"
                    disabled=move || busy() || ready_total() == 0
                    on:click=move |_| sending.start(up, options)
                >
                    {move || match ready_total() {
                        0 => "Nothing to invite".to_string(),
                        1 => "Invite 1 learner".to_string(),
                        n => format!("Invite {} learners", thousands(n)),
                    }}
                </button>
            </div>
        </div>
    }
}

/// "Which column is what": one select per field, each listing the file's columns.
#[component]
fn ColumnPickers(up: Upload) -> impl IntoView {
    let columns = move || {
        up.with(|p| {
            let header = matches!(p.header, HeaderGuess::Header { .. });
            let first_row = p.first_row();
            (0..p.width())
                .map(|c| column_label(&first_row, header, c))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let map = move || up.with(|p| p.map).unwrap_or_default();
    let picker = move |label: &'static str,
                       get: fn(&ColumnMap) -> Option<usize>,
                       set: fn(&mut ColumnMap, Option<usize>)| {
        let on_change = move |ev: ev::Event| {
            let mut m = map();
            set(&mut m, event_target_value(&ev).parse::<usize>().ok());
            up.remap(m);
        };
        view! {
            <label class="column-picker">
                <span class="small">{label}</span>
                <select
                    on:change=on_change
                    prop:value=move || get(&map()).map(|c| c.to_string()).unwrap_or_default()
                >
                    <option value="">"— not in the file —"</option>
                    {move || {
                        columns()
                            .into_iter()
                            .enumerate()
                            .map(|(i, name)| {
                                view! {
                                    <option
                                        value=i.to_string()
                                        selected=move || get(&map()) == Some(i)
                                    >
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    view! {
        <div class="column-pickers" role="group" aria-label="Which column is what">
            {picker("First name", |m| m.first_name, |m, c| m.first_name = c)}
            {picker("Last name", |m| m.last_name, |m, c| m.last_name = c)}
            {picker("Email address", |m| m.email, |m, c| m.email = c)}
        </div>
    }
}

/// One row of the table, or its fix-in-place form.
#[component]
fn PreviewRow(
    up: Upload,
    index: usize,
    pos: usize,
    editing: RwSignal<Option<usize>>,
) -> impl IntoView {
    let Some((row, person)) = up.preview.with_value(|p| {
        p.as_ref()
            .and_then(|p| Some((p.rows.get(index)?.clone(), p.fields(index).to_input())))
    }) else {
        return ().into_any();
    };
    let k = up
        .known
        .with_value(|known| kind(&row, &person.email, known));
    let top = format!("{}px", pos as f64 * ROW_H);
    let class = match k {
        Kind::Ready => "row-status row-status-ok",
        Kind::Learner | Kind::Invited => "row-status row-status-info",
        Kind::Problem | Kind::Refused(_) => "row-status row-status-bad",
        Kind::Duplicate => "row-status row-status-warn",
        Kind::Empty => "row-status row-status-muted",
    };
    let text = status_text(&row, &person.email, k);
    let fixable = matches!(k, Kind::Problem | Kind::Duplicate);
    let line = row.line;
    (move || {
        if editing.get() == Some(index) {
            let email = RwSignal::new(person.email.clone());
            let first = RwSignal::new(person.first_name.clone());
            let last = RwSignal::new(person.last_name.clone());
            let save = move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                let fixed = InviteeInput {
                    email: email.get_untracked(),
                    first_name: first.get_untracked(),
                    last_name: last.get_untracked(),
                };
                up.preview.update_value(|p| {
                    if let Some(p) = p {
                        p.edit(index, fixed)
                    }
                });
                editing.set(None);
                up.changed();
            };
            let on_key = move |ev: ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    editing.set(None);
                }
            };
            view! {
                <form
                    class="preview-row preview-edit"
                    role="row"
                    style:top=top.clone()
                    on:submit=save
                    on:keydown=on_key
                >
                    <span role="cell" class="cell-line">
                        {line}
                    </span>
                    <span role="cell">
                        <input
                            type="text"
                            aria-label=format!("First name, line {line}")
                            autofocus
                            prop:value=move || first.get()
                            on:input=move |ev| first.set(event_target_value(&ev))
                        />
                    </span>
                    <span role="cell">
                        <input
                            type="text"
                            aria-label=format!("Last name, line {line}")
                            prop:value=move || last.get()
                            on:input=move |ev| last.set(event_target_value(&ev))
                        />
                    </span>
                    <span role="cell">
                        <input
                            type="email"
                            aria-label=format!("Email address, line {line}")
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                    </span>
                    <span role="cell" class="cell-actions">
                        <button type="submit" class="button button-primary button-small">
                            "Save"
                        </button>
                        <button
                            type="button"
                            class="button button-small"
                            on:click=move |_| editing.set(None)
                        >
                            "Cancel"
                        </button>
                    </span>
                    // The whole reason, which the row can only show in part.
                    <p class="edit-reason" data-testid="edit-reason">
                        {text.clone()}
                    </p>
                </form>
            }
            .into_any()
        } else {
            view! {
                <div class="preview-row" role="row" style:top=top.clone() data-line=line>
                    <span role="cell" class="cell-line">
                        {line}
                    </span>
                    <span role="cell" class="cell-text">
                        {person.first_name.clone()}
                    </span>
                    <span role="cell" class="cell-text">
                        {person.last_name.clone()}
                    </span>
                    <span role="cell" class="cell-text">
                        {person.email.clone()}
                    </span>
                    <span role="cell">
                        <span class=class title=text.clone()>
                            {text.clone()}
                        </span>
                    </span>
                    <span role="cell" class="cell-actions">
                        {fixable
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="button button-small"
                                        aria-label=format!("Fix line {line}")
                                        on:click=move |_| editing.set(Some(index))
                                    >
                                        "Fix"
                                    </button>
                                }
                            })}
                    </span>
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}
