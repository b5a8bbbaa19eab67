//! "Recent uploads": who uploaded which file when, what became of its rows, and its result report.

use leptos::prelude::*;

use crate::domain::ImportId;
use crate::{api::imports::list_imports, domain::csv_import::thousands, format};

#[component]
pub(super) fn ImportHistory() -> impl IntoView {
    // Part of the upload dialog, which opens on a click: loaded in the browser.
    let imports = LocalResource::new(list_imports);
    let error = RwSignal::new(None::<String>);
    let download =
        move |id: ImportId, file_name: String| super::download_result_report(id, file_name, error);
    move || {
        match imports.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted small" data-testid="import-history-empty">
                "No uploads yet. Each upload is listed here with its counts and a result report."
            </p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <section class="import-history" data-testid="import-history">
                <h3>"Recent uploads"</h3>
                {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                <div class="table-scroll">
                    <table class="table table-compact">
                        <thead>
                            <tr>
                                <th>"File"</th>
                                <th>"By"</th>
                                <th>"When"</th>
                                <th class="num">"Rows"</th>
                                <th class="num">"Invited"</th>
                                <th class="num">"Renewed"</th>
                                <th class="num">"Learners"</th>
                                <th class="num">"Skipped"</th>
                                <th>
                                    <span class="sr-only">"Report"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|i| {
                                    let name = i.file_name.clone();
                                    view! {
                                        <tr>
                                            <td class="cell-text" title=i.file_name.clone()>
                                                {i.file_name.clone()}
                                                {i
                                                    .finished_at
                                                    .is_none()
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="badge badge-muted">"unfinished"</span>
                                                        }
                                                    })}
                                            </td>
                                            <td class="cell-text">{i.created_by.clone()}</td>
                                            <td>{format::date_time(i.created_at)}</td>
                                            <td class="num">{thousands(i.total_rows as usize)}</td>
                                            <td class="num">{thousands(i.invited as usize)}</td>
                                            <td class="num">{thousands(i.updated as usize)}</td>
                                            <td class="num">{thousands(i.existing as usize)}</td>
                                            <td class="num">{thousands(i.skipped as usize)}</td>
                                            <td>
                                                <button
                                                    type="button"
                                                    class="link-button small"
                                                    aria-label=format!(
                                                        "Download the result report of {}",
                                                        i.file_name,
                                                    )
                                                    on:click=move |_| download(i.id, name.clone())
                                                >
                                                    "Report"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
        .into_any(),
    }
    }
}
