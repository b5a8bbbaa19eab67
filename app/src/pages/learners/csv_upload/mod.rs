//! "Upload CSV File": the admin picks or drops a file; the browser reads and checks it with the
//! shared `domain::csv_import` code (a slice of rows at a time, painting in between), asks the
//! server once which addresses it knows, shows every row, and sends the ready ones in chunks.

mod history;
mod preview;
mod send;

use leptos::{ev, prelude::*};

use super::invite_options::InviteOptions;
use crate::domain::ImportId;
use crate::{
    api::imports::{import_caps, lookup_emails},
    components::browser,
    domain::csv_import::{self, Caps, Known, Preview},
};
use history::ImportHistory;
use preview::PreviewPanel;
use send::{SendPanel, Sending};

/// Rows checked between two looks at the clock.
const SLICE_ROWS: usize = 500;
/// How long one slice of checking may hold the page before it paints and handles input.
const SLICE_MS: f64 = 12.0;
/// How often the table and counts are redrawn while rows are being checked.
const REDRAW_MS: f64 = 200.0;

const CSV: &str = "text/csv;charset=utf-8";

/// A file's name without its `.csv` / `.txt` ending, for the reports' names.
fn stem(file_name: &str) -> &str {
    file_name.trim_end_matches(".csv").trim_end_matches(".txt")
}

/// Fetches an upload's per-row result report and offers it as `<file>-results.csv`; `error` gets
/// the reason when it cannot be had.
pub(super) fn download_result_report(
    id: ImportId,
    file_name: String,
    error: RwSignal<Option<String>>,
) {
    leptos::task::spawn_local(async move {
        match crate::api::imports::import_report(id).await {
            Ok(csv) => browser::download(&format!("{}-results.csv", stem(&file_name)), &csv, CSV),
            Err(e) => {
                let _ = error.try_set(Some(e.to_string()));
            }
        }
    });
}

const TEMPLATE: &str = "data:text/csv;charset=utf-8,First%20name%2CLast%20name%2CEmail%20address%0D%0AAnn%2CLee%2Cann.lee%40example.com%0D%0A";

/// How long the reading took, in page-clock milliseconds (shown to benchmarks as data attributes).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Timings {
    /// The file's bytes in hand.
    pub read_ms: f64,
    /// Decoding and splitting into records.
    pub open_ms: f64,
    /// From choosing the file to the first rows on screen.
    pub first_rows_ms: f64,
    /// Decoding, splitting and checking every row: the work itself, pauses for painting left out.
    pub work_ms: f64,
    /// From choosing the file to every row checked.
    pub checked_ms: f64,
}

/// One file being read and shown. The preview is not reactive itself (100,000 rows); `version`
/// says when it changed.
#[derive(Clone, Copy)]
pub(super) struct Upload {
    pub preview: StoredValue<Option<Preview>>,
    pub known: StoredValue<Known>,
    pub version: RwSignal<u64>,
    pub file_name: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
    /// While checking: rows checked, rows in the file.
    pub checking: RwSignal<Option<(usize, usize)>>,
    /// While asking the server which addresses it knows.
    pub looking_up: RwSignal<bool>,
    pub lookup_error: RwSignal<Option<String>>,
    pub timings: RwSignal<Timings>,
    pub caps: RwSignal<Option<Caps>>,
    /// Bumped by every new file or column choice; older work stops when it sees a newer one.
    generation: StoredValue<u64>,
}

impl Upload {
    fn new() -> Upload {
        Upload {
            preview: StoredValue::new(None),
            known: StoredValue::new(Known::default()),
            version: RwSignal::new(0),
            file_name: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            checking: RwSignal::new(None),
            looking_up: RwSignal::new(false),
            lookup_error: RwSignal::new(None),
            timings: RwSignal::new(Timings::default()),
            caps: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Reads the preview (tracking `version`); `None` before a file is read.
    pub fn with<T>(&self, f: impl FnOnce(&Preview) -> T) -> Option<T> {
        self.version.track();
        self.preview.with_value(|p| p.as_ref().map(f))
    }

    pub fn changed(&self) {
        let _ = self.version.try_update(|v| *v += 1);
    }

    fn next_generation(&self) -> u64 {
        let g = self.generation.get_value() + 1;
        self.generation.set_value(g);
        g
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Offers the problems report of the file as `<file>-problems.csv`.
    pub fn download_problems(&self) {
        let report = self
            .preview
            .with_value(|p| p.as_ref().map(|p| p.problems_report()));
        if let Some(report) = report {
            let name = format!("{}-problems.csv", stem(&self.file_name.get_untracked()));
            browser::download(&name, &report, CSV);
        }
    }

    /// Back to "choose a file".
    pub fn clear(&self) {
        self.next_generation();
        self.preview.set_value(None);
        self.known.set_value(Known::default());
        self.error.set(None);
        self.checking.set(None);
        self.looking_up.set(false);
        self.lookup_error.set(None);
        self.changed();
    }

    /// Reads `file` and checks its rows.
    fn load(self, file: web_sys::File) {
        let started = browser::now_ms();
        self.clear();
        self.file_name.set(file.name());
        let Some(caps) = self.caps.get_untracked() else {
            self.error.set(Some(
                "The upload limits are still loading; choose the file again in a moment.".into(),
            ));
            return;
        };
        if let Err(message) = csv_import::check_size(file.size() as usize, &caps) {
            self.error.set(Some(message));
            return;
        }
        let generation = self.generation.get_value();
        leptos::task::spawn_local(async move {
            let bytes = match browser::read_file(&file).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    let _ = self.error.try_set(Some(message));
                    return;
                }
            };
            let read = browser::now_ms();
            if !self.is_current(generation) {
                return;
            }
            match csv_import::open(bytes, &caps) {
                Err(message) => self.error.set(Some(message)),
                Ok(preview) => {
                    let opened = browser::now_ms();
                    self.timings.set(Timings {
                        read_ms: read - started,
                        open_ms: opened - read,
                        ..Timings::default()
                    });
                    self.preview.set_value(Some(preview));
                    self.check(generation, started, opened - read).await;
                }
            }
        });
    }

    /// The admin chose other columns: check every row again.
    pub fn remap(self, map: csv_import::ColumnMap) {
        let generation = self.next_generation();
        self.preview
            .update_value(|p| p.iter_mut().for_each(|p| p.set_map(map)));
        self.known.set_value(Known::default());
        self.changed();
        leptos::task::spawn_local(async move {
            self.check(generation, browser::now_ms(), 0.0).await;
        });
    }

    /// Checks the rows a slice at a time, painting in between, then looks the addresses up.
    async fn check(self, generation: u64, started: f64, mut work_ms: f64) {
        let mut painted = false;
        let mut shown_at = 0.0;
        loop {
            if !self.is_current(generation) {
                return;
            }
            let slice_start = browser::now_ms();
            let progress = loop {
                let step = self.preview.try_update_value(|p| {
                    p.as_mut().map(|p| {
                        let done = p.check_more(SLICE_ROWS);
                        (done, p.rows.len(), p.total())
                    })
                });
                match step.flatten() {
                    None => return,
                    Some(progress @ (done, _, _)) => {
                        if done || browser::now_ms() - slice_start > SLICE_MS {
                            break progress;
                        }
                    }
                }
            };
            work_ms += browser::now_ms() - slice_start;
            let (done, checked, total) = progress;
            let _ = self.checking.try_set((!done).then_some((checked, total)));
            // The table and counts follow a few times a second (each look at them walks every
            // row checked so far); the progress bar follows every slice.
            if !painted || done || browser::now_ms() - shown_at > REDRAW_MS {
                self.changed();
                shown_at = browser::now_ms();
            }
            browser::yield_to_browser().await;
            if !painted {
                painted = true;
                let first_rows_ms = browser::now_ms() - started;
                let _ = self.timings.try_update(|t| t.first_rows_ms = first_rows_ms);
            }
            if done {
                break;
            }
        }
        let checked_ms = browser::now_ms() - started;
        let _ = self.timings.try_update(|t| {
            t.work_ms = work_ms;
            t.checked_ms = checked_ms;
        });
        self.look_up(generation).await;
    }

    /// Asks the server, in one call, which of the ready addresses it knows.
    async fn look_up(self, generation: u64) {
        let emails = self
            .preview
            .try_with_value(|p| {
                p.as_ref().map(|p| {
                    p.ready()
                        .map(|(i, _)| p.fields(i).email.to_owned())
                        .collect::<Vec<_>>()
                })
            })
            .flatten()
            .unwrap_or_default();
        if emails.is_empty() {
            return;
        }
        let _ = self.looking_up.try_set(true);
        let answer = lookup_emails(emails).await;
        if !self.is_current(generation) {
            return;
        }
        self.looking_up.set(false);
        match answer {
            Ok(known) => {
                self.known
                    .set_value(Known::new(known.accounts, known.pending));
                self.changed();
            }
            Err(e) => self.lookup_error.set(Some(format!(
                "Could not check which addresses are learners or invited already ({e}). Uploading is safe anyway: the server checks every row."
            ))),
        }
    }
}

fn dropped_file(ev: &ev::DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()?.files()?.get(0)
}

#[component]
pub fn CsvUpload(
    options: InviteOptions,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let up = Upload::new();
    let sending = Sending::new();
    // The upload dialog opens on a click: loaded in the browser.
    let caps = LocalResource::new(import_caps);
    let caps_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match caps.get() {
        Some(Ok(c)) => up.caps.set(Some(c)),
        Some(Err(e)) => caps_error.set(Some(e.to_string())),
        None => {}
    });
    let dragging = RwSignal::new(false);
    let on_pick = move |ev: ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            up.load(file);
        }
        // Choosing the same file again (after fixing it in Excel) must fire again.
        input.set_value("");
    };
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = dropped_file(&ev) {
            up.load(file);
        }
    };
    let on_drag_over = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let has_preview = move || up.with(|_| ()).is_some();
    let limits = move || {
        up.caps.get().map(|c| {
            format!(
                "UTF-8, UTF-16 or Windows-1252; commas, semicolons, tabs or bars; up to {}, {} rows.",
                csv_import::size(c.max_bytes),
                csv_import::thousands(c.max_rows)
            )
        })
    };
    view! {
        <div class="csv-upload">
            {move || {
                caps_error
                    .get()
                    .map(|e| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e}
                            </div>
                        }
                    })
            }}
            {move || {
                if sending.started() {
                    view! { <SendPanel up sending options on_close on_sent /> }.into_any()
                } else if has_preview() {
                    view! { <PreviewPanel up sending options on_close /> }.into_any()
                } else {
                    view! {
                        <label
                            class="dropzone"
                            class:dropzone-active=move || dragging.get()
                            on:dragover=on_drag_over
                            on:dragleave=move |_| dragging.set(false)
                            on:drop=on_drop
                        >
                            <input
                                type="file"
                                class="sr-only"
                                accept=".csv,.txt,.tsv,text/csv,text/plain"
                                data-testid="csv-file"
                                on:change=on_pick
                            />
                            <span class="dropzone-title">
                                "Drop a CSV file here, or "
                                <span class="link-like">"choose a file"</span>
                            </span>
                            <span class="muted small">
                                "Columns: First name, Last name, Email address — in any order, with or without a header row."
                            </span>
                            <span class="muted small">{limits}</span>
                        </label>
                        {move || {
                            up.error
                                .get()
                                .map(|e| {
                                    view! {
                                        <div
                                            class="alert alert-error"
                                            role="alert"
                                            data-testid="csv-error"
                                        >
                                            <strong>{up.file_name.get()}</strong>
                                            ": "
                                            {e}
                                        </div>
                                    }
                                })
                        }}
                        <p class="small">
                            <a href=TEMPLATE download="learners-template.csv">
                                "Download the template"
                            </a>
                            <span class="muted">" (First name, Last name, Email address)"</span>
                        </p>
                        <ImportHistory />
                        <div class="dialog-actions">
                            <button type="button" class="button" on:click=move |_| on_close.run(())>
                                "Cancel"
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
