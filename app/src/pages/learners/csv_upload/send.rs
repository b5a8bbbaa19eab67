//! Sending the ready rows: the upload is started under a key the browser chose, the rows go in
//! chunks (at most 5,000 rows and about half a megabyte each) with a progress bar, a failed chunk
//! is retried (the server answers a repeated chunk from what it recorded, so nothing is done
//! twice), and a failure that outlasts the retries can be resumed from where it stopped.

use leptos::prelude::*;

use super::Upload;
use crate::domain::ImportId;
use crate::{
    api::imports::{finish_import, import_chunk, start_import},
    components::browser,
    domain::csv_import::{chunks::chunk_ends, thousands},
    error::AppError,
    model::{ImportLine, ImportSummary, InviteOutcome, LeftOutLine},
    pages::learners::invite_options::InviteOptions,
};

/// Attempts per chunk before the admin is asked.
const ATTEMPTS: u32 = 4;

#[derive(Debug, Clone, PartialEq)]
enum State {
    Idle,
    Running,
    /// Stopped after the retries; "Try again" resumes at the chunk that failed.
    Failed(String),
    Done(ImportSummary),
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Progress {
    committed: usize,
    total: usize,
    queued: usize,
}

struct Plan {
    key: String,
    import_id: Option<ImportId>,
    file_name: String,
    lines: Vec<ImportLine>,
    /// Ends of the chunks in `lines`.
    chunk_ends: Vec<usize>,
    next_chunk: usize,
    /// Rows the preview left out (problems, duplicates), recorded with the upload.
    left_out: Vec<LeftOutLine>,
}

/// Worth another attempt: the network or the server hiccuped; anything else will not change.
fn transient(e: &AppError) -> Option<u32> {
    match e {
        AppError::Network(_) | AppError::Internal { .. } => Some(1_000),
        AppError::RateLimited {
            retry_after_secs, ..
        } => Some((*retry_after_secs).clamp(1, 30) as u32 * 1_000),
        _ => None,
    }
}

#[derive(Clone, Copy)]
pub(super) struct Sending {
    state: RwSignal<State>,
    progress: RwSignal<Progress>,
    plan: StoredValue<Option<Plan>, LocalStorage>,
}

impl Sending {
    pub fn new() -> Sending {
        Sending {
            state: RwSignal::new(State::Idle),
            progress: RwSignal::new(Progress::default()),
            plan: StoredValue::new_local(None),
        }
    }

    pub fn started(&self) -> bool {
        self.state.get() != State::Idle
    }

    /// Sends the preview's ready rows with `options`.
    pub fn start(self, up: Upload, options: InviteOptions) {
        let plan = up.preview.with_value(|p| {
            p.as_ref().map(|p| {
                let lines: Vec<ImportLine> = p
                    .ready()
                    .map(|(i, r)| ImportLine {
                        line: r.line as u32,
                        person: p.fields(i).to_input(),
                    })
                    .collect();
                let left_out: Vec<LeftOutLine> = p
                    .left_out()
                    .map(|(i, r)| LeftOutLine {
                        line: r.line as u32,
                        person: p.fields(i).to_input(),
                        reason: r.status.describe(),
                    })
                    .collect();
                Plan {
                    key: browser::random_key(24),
                    import_id: None,
                    file_name: up.file_name.get_untracked(),
                    chunk_ends: chunk_ends(lines.iter().map(|l| &l.person)),
                    lines,
                    next_chunk: 0,
                    left_out,
                }
            })
        });
        let Some(plan) = plan else { return };
        self.progress.set(Progress {
            total: plan.lines.len(),
            ..Progress::default()
        });
        self.plan.set_value(Some(plan));
        self.run(options);
    }

    fn run(self, options: InviteOptions) {
        self.state.set(State::Running);
        leptos::task::spawn_local(async move {
            let outcome = self.send_all(options).await;
            let _ = self.state.try_set(match outcome {
                Ok(summary) => State::Done(summary),
                Err(message) => State::Failed(message),
            });
        });
    }

    async fn with_retries<T, F, Fut>(f: F) -> Result<T, AppError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let mut attempt = 1;
        loop {
            match f().await {
                Ok(v) => return Ok(v),
                Err(e) => match transient(&e) {
                    Some(wait) if attempt < ATTEMPTS => {
                        browser::sleep_ms(wait * attempt).await;
                        attempt += 1;
                    }
                    _ => return Err(e),
                },
            }
        }
    }

    async fn send_all(self, options: InviteOptions) -> Result<ImportSummary, String> {
        let Some((key, file_name, total, known_id, left_out)) = self
            .plan
            .try_with_value(|p| {
                p.as_ref().map(|p| {
                    (
                        p.key.clone(),
                        p.file_name.clone(),
                        p.lines.len(),
                        p.import_id,
                        p.left_out.clone(),
                    )
                })
            })
            .flatten()
        else {
            return Err("Nothing to send.".into());
        };
        let import_id = match known_id {
            Some(id) => id,
            None => {
                let role = options.role.get_untracked();
                let team_ids = options.team_ids.get_untracked();
                let send_email = options.send_email.get_untracked();
                let message = options.message.get_untracked();
                let id = Self::with_retries(|| {
                    start_import(
                        key.clone(),
                        file_name.clone(),
                        total,
                        role,
                        team_ids.clone(),
                        send_email,
                        left_out.clone(),
                        message.clone(),
                    )
                })
                .await
                .map_err(|e| e.to_string())?;
                self.plan
                    .update_value(|p| p.iter_mut().for_each(|p| p.import_id = Some(id)));
                id
            }
        };
        let send_email = options.send_email.get_untracked();
        loop {
            // `None`: the dialog was closed, stop here (what is committed stays, unfinished).
            let next = self.plan.try_with_value(|p| {
                p.as_ref().and_then(|p| {
                    let end = *p.chunk_ends.get(p.next_chunk)?;
                    let start = p.next_chunk.checked_sub(1).map_or(0, |c| p.chunk_ends[c]);
                    Some(p.lines[start..end].to_vec())
                })
            });
            let Some(chunk) = next.ok_or("The upload was stopped.")? else {
                break;
            };
            let results = Self::with_retries(|| import_chunk(import_id, chunk.clone()))
                .await
                .map_err(|e| {
                    format!(
                        "{} of {} rows are in; the next ones could not be sent: {e}",
                        thousands(self.progress.get_untracked().committed),
                        thousands(total)
                    )
                })?;
            let queued = results
                .iter()
                .filter(|r| {
                    send_email
                        && matches!(
                            r.outcome,
                            InviteOutcome::Invited { .. } | InviteOutcome::AlreadyInvited { .. }
                        )
                })
                .count();
            self.plan
                .update_value(|p| p.iter_mut().for_each(|p| p.next_chunk += 1));
            let _ = self.progress.try_update(|p| {
                p.committed += results.len();
                p.queued += queued;
            });
        }
        Self::with_retries(|| finish_import(import_id))
            .await
            .map_err(|e| e.to_string())
    }

    fn left_out(&self) -> usize {
        self.plan
            .with_value(|p| p.as_ref().map(|p| p.left_out.len()))
            .unwrap_or_default()
    }
}

#[component]
pub(super) fn SendPanel(
    up: Upload,
    sending: Sending,
    options: InviteOptions,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    Effect::new(move |_| {
        if let State::Done(_) = sending.state.get() {
            on_sent.run(());
        }
    });
    let bar = move || {
        let p = sending.progress.get();
        view! {
            <div class="csv-progress" role="status" data-testid="csv-send-progress">
                <progress max=p.total.max(1) value=p.committed></progress>
                <span class="small">
                    {format!("{} of {} rows committed", thousands(p.committed), thousands(p.total))}
                    {(p.queued > 0).then(|| format!(" · {} emails queued", thousands(p.queued)))}
                </span>
            </div>
        }
    };
    let again = move || {
        sending.state.set(State::Idle);
        up.clear();
    };
    move || {
        match sending.state.get() {
        State::Idle => ().into_any(),
        State::Running => view! {
            <div class="csv-sending">
                <h3>{move || format!("Inviting from {}…", up.file_name.get())}</h3>
                {bar}
                <p class="muted small">
                    "You can keep this dialog open; closing it stops the upload after the current chunk. What is committed stays."
                </p>
            </div>
        }
        .into_any(),
        State::Failed(message) => view! {
            <div class="csv-sending">
                {bar} <div class="alert alert-error" role="alert">
                    {message}
                </div> <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        "Close"
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        on:click=move |_| sending.run(options)
                    >
                        "Try again"
                    </button>
                </div>
            </div>
        }
        .into_any(),
        State::Done(summary) => {
            let id = summary.id;
            let left_out = sending.left_out();
            // The upload's skipped rows count the ones the preview left out too.
            let by_server = (summary.skipped - left_out as i64).max(0);
            let file_name = summary.file_name.clone();
            let report_error = RwSignal::new(None::<String>);
            let download_report = move |_| super::download_result_report(id, file_name.clone(), report_error);
            let download_problems = move |_| up.download_problems();
            view! {
                <div class="csv-summary" data-testid="csv-summary">
                    <h3>"Upload finished"</h3>
                    <ul class="result-list">
                        <li class="result result-ok">
                            <strong>{thousands(summary.invited as usize)}</strong>
                            " invited"
                            {(summary.invited > 0 && options.send_email.get_untracked())
                                .then_some(" — invitation emails are on their way")}
                        </li>
                        {(summary.updated > 0)
                            .then(|| {
                                view! {
                                    <li class="result result-ok">
                                        <strong>{thousands(summary.updated as usize)}</strong>
                                        " already invited — invitations updated and renewed"
                                    </li>
                                }
                            })}
                        {(summary.existing > 0)
                            .then(|| {
                                view! {
                                    <li class="result result-info">
                                        <strong>{thousands(summary.existing as usize)}</strong>
                                        {format!(
                                            " {} — added to {}, nothing sent",
                                            crate::format::noun(
                                                summary.existing,
                                                "already a learner",
                                                "already learners",
                                            ),
                                            crate::format::count(
                                                summary.added_to_teams,
                                                "team place",
                                                "team places",
                                            ),
                                        )}
                                    </li>
                                }
                            })}
                        {(by_server > 0)
                            .then(|| {
                                view! {
                                    <li class="result result-bad">
                                        <strong>{thousands(by_server as usize)}</strong>
                                        " skipped by the server — the result report says why"
                                    </li>
                                }
                            })}
                        {(left_out > 0)
                            .then(|| {
                                view! {
                                    <li class="result result-bad">
                                        <strong>{thousands(left_out)}</strong>
                                        {format!(
                                            " {} left out",
                                            crate::format::noun(
                                                left_out as i64,
                                                "row with a problem was",
                                                "rows with problems were",
                                            ),
                                        )}
                                        " "
                                        <button
                                            type="button"
                                            class="link-button"
                                            on:click=download_problems
                                        >
                                            "Download problems report"
                                        </button>
                                    </li>
                                }
                            })}
                    </ul>
                    {move || report_error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                    <div class="dialog-actions">
                        <button type="button" class="button" on:click=download_report>
                            "Download result report"
                        </button>
                        <button type="button" class="button" on:click=move |_| again()>
                            "Upload another file"
                        </button>
                        <button
                            type="button"
                            class="button button-primary"
                            on:click=move |_| on_close.run(())
                        >
                            "Done"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    }
}
