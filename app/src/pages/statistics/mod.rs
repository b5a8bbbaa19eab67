//! `/a/:slug/admin/statistics`: the invitation funnel, sign-ups per day, invitations by source and
//! learners per team, for a date range and one team or all. The filters live in the URL
//! (`?team=&from=&to=`), so a filtered view can be shared and survives a reload; the numbers arrive
//! with the page (see `pages`).

mod chart;
mod filters;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::statistics::{export_statistics, get_statistics},
    components::team_badge::TeamBadge,
    domain::{
        Permission,
        statistics::{StatisticsFilter, duration_words, percent, share, source_label, thousands},
    },
    error::AppError,
    model::statistics::{Statistics, TeamCount},
    pages::admin_shell::RequirePermission,
};
use chart::SignupsChart;
use filters::Filters;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    view! {
        <RequirePermission needs=Permission::ViewStatistics>
            <StatisticsView />
        </RequirePermission>
    }
}

const CSV: &str = "text/csv;charset=utf-8";

#[component]
fn StatisticsView() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        StatisticsFilter {
            team: q.get("team").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        }
    });
    // In the page's HTML from the server; the filters (in the URL) reload it.
    let data = Resource::new(move || filter.get(), get_statistics);
    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        exporting.set(true);
        export_error.set(None);
        let f = filter.get_untracked();
        leptos::task::spawn_local(async move {
            match export_statistics(f).await {
                Ok(csv) => crate::components::browser::download(&csv.file_name, &csv.text, CSV),
                Err(e) => {
                    let _ = export_error.try_set(Some(e.to_string()));
                }
            }
            let _ = exporting.try_set(false);
        });
    };
    let loaded = Signal::derive(move || data.get().and_then(|r| r.ok()));
    let error = Signal::derive(move || data.get().and_then(|r| r.err()));
    view! {
        <Title text="Statistics" />
        <Transition fallback=|| {
            view! {
                <h1>"Statistics"</h1>
                <p class="loading">"Loading statistics…"</p>
            }
        }>
            <div class="page-head">
                <div>
                    <h1>"Statistics"</h1>
                    <p class="muted stats-scope" data-testid="stats-scope">
                        {move || match loaded.get() {
                            Some(s) => {
                                format!(
                                    "{} · {} · days in UTC",
                                    s.range.label(),
                                    s.team.as_ref().map_or("All teams", |t| t.name.as_str()),
                                )
                            }
                            None => {
                                "Invitations and sign-ups of your academy · days in UTC"
                                    .to_string()
                            }
                        }}
                    </p>
                </div>
                <button
                    type="button"
                    class="button"
                    data-testid="export-statistics"
                    disabled=move || exporting.get() || loaded.get().is_none()
                    on:click=export
                >
                    {move || if exporting.get() { "Exporting…" } else { "Export CSV" }}
                </button>
            </div>
            {move || {
                export_error
                    .get()
                    .map(|e| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e}
                            </div>
                        }
                    })
            }}
            <Filters filter loaded error />
            {move || match data.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <Problem error=e filter=filter.get() /> }.into_any(),
                Some(Ok(s)) => view! { <Report s /> }.into_any(),
            }}
        </Transition>
    }
}

/// A refused filter or a failed load. A refused date range is told by the filters, by its fields;
/// here a way back to the default view (the same team, if that one was fine).
#[component]
fn Problem(error: AppError, filter: StatisticsFilter) -> impl IntoView {
    if let AppError::Validation { .. } = &error {
        let slug = crate::components::nav::use_academy().academy.slug;
        let back = StatisticsFilter {
            team: if error.field_message("team").is_some() {
                String::new()
            } else {
                filter.team
            },
            ..Default::default()
        };
        let href = format!("/a/{slug}/admin/statistics{}", back.query_string());
        view! {
            <p class="empty-inline">
                "The numbers appear once the filters above are right. "
                <a href=href>"Show the last 30 days"</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="alert alert-error" role="alert" data-testid="stats-error">
                {error.to_string()}
            </div>
        }
        .into_any()
    }
}

#[component]
fn Report(s: Statistics) -> impl IntoView {
    let nothing = s.funnel.invited == 0 && s.signups_total() == 0;
    let where_ = s
        .team
        .as_ref()
        .map(|t| format!(" in {}", t.name))
        .unwrap_or_default();
    let teams = s.team_rows.clone();
    let one_team = s.team.is_some();
    view! {
        {if nothing {
            view! {
                <section class="empty-state" data-testid="stats-empty">
                    <h2>"Nothing to measure in these dates"</h2>
                    <p>
                        {format!(
                            "No one was invited and no learner signed up{where_} between {} and {}.",
                            crate::domain::calendar::long_date(s.range.from_day),
                            crate::domain::calendar::long_date(s.range.to_day),
                        )}
                    </p>
                    <p class="muted">
                        "Choose a wider date range or \"All teams\". Invitations count here from the moment they are made — from the invite form, a CSV file, a team page or the API — and learners on the day they register."
                    </p>
                </section>
            }
                .into_any()
        } else {
            view! {
                <Cards s=s.clone() />
                <div class="stats-grid">
                    <Funnel s=s.clone() />
                    <Sources s=s.clone() />
                </div>
                <section class="panel stats-panel" aria-labelledby="signups-title">
                    <div class="stats-panel-head">
                        <h2 id="signups-title">"Sign-ups per day"</h2>
                        <span class="muted small">
                            {format!(
                                "{} registered{where_} · days in UTC",
                                match s.signups_total() {
                                    1 => "1 learner".to_string(),
                                    n => format!("{} learners", thousands(n)),
                                },
                            )}
                        </span>
                    </div>
                    <SignupsChart range=s.range series=s.signups.clone() />
                </section>
            }
                .into_any()
        }}
        <Teams rows=teams one_team />
    }
}

/// The headline numbers.
#[component]
fn Cards(s: Statistics) -> impl IntoView {
    let f = s.funnel;
    let card = |label: &'static str, value: String, note: String, test_id: &'static str| {
        view! {
            <div class="stat-card" data-testid=test_id>
                <dt>{label}</dt>
                <dd class="stat-value">{value}</dd>
                <dd class="stat-note">{note}</dd>
            </div>
        }
    };
    view! {
        <dl class="stat-cards" aria-label="Summary">
            {card(
                "Invited",
                thousands(f.invited),
                "invitations made in these dates".into(),
                "stat-invited",
            )}
            {card(
                "Accepted",
                thousands(f.accepted),
                format!("{} of invited", percent(f.accepted, f.invited)),
                "stat-accepted",
            )}
            {card(
                "Acceptance rate",
                f.acceptance_rate(),
                format!("{} of {} accepted", thousands(f.accepted), thousands(f.invited)),
                "stat-rate",
            )}
            {card(
                "Time to accept",
                s.median_accept_ms.map_or("–".into(), duration_words),
                "median, from invitation to registration".into(),
                "stat-median",
            )}
            {card(
                "Failed emails",
                thousands(s.failed_emails),
                "invitation emails that could not be delivered".into(),
                "stat-failed",
            )}
            {card(
                "Sign-ups",
                thousands(s.signups_total()),
                "learners registered in these dates".into(),
                "stat-signups",
            )}
        </dl>
    }
}

/// Invited → email sent → accepted, each with its share of "Invited".
#[component]
fn Funnel(s: Statistics) -> impl IntoView {
    let f = s.funnel;
    view! {
        <section class="panel stats-panel" aria-labelledby="funnel-title">
            <h2 id="funnel-title">"Invitation funnel"</h2>
            <ol class="funnel" data-testid="funnel">
                {f
                    .steps()
                    .into_iter()
                    .map(|(label, n, p)| {
                        view! {
                            <li class="funnel-step" data-step=label>
                                <span class="funnel-label">{label}</span>
                                <span class="funnel-track" aria-hidden="true">
                                    <span
                                        class="funnel-bar"
                                        style=format!("width:{:.1}%", share(n, f.invited))
                                    ></span>
                                </span>
                                <span class="funnel-count">{thousands(n)}</span>
                                <span class="funnel-share muted">{p}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="muted small">
                {format!(
                    "\"Email sent\": the invitation email was delivered to the learner's mail server. {}",
                    match s.failed_emails {
                        0 => "No invitation email failed.".to_string(),
                        1 => "1 invitation email failed for good.".to_string(),
                        n => format!("{} invitation emails failed for good.", thousands(n)),
                    },
                )}
            </p>
        </section>
    }
}

#[component]
fn Sources(s: Statistics) -> impl IntoView {
    view! {
        <section class="panel stats-panel" aria-labelledby="sources-title">
            <h2 id="sources-title">"Invitations by source"</h2>
            <div class="table-wrap">
                <table class="table" data-testid="sources-table">
                    <thead>
                        <tr>
                            <th>"Source"</th>
                            <th class="num">"Invited"</th>
                            <th class="num">"Accepted"</th>
                            <th class="num">"Acceptance rate"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {s
                            .by_source
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr data-source=c.source.as_str()>
                                        <td>{source_label(c.source)}</td>
                                        <td class="num">{thousands(c.invited)}</td>
                                        <td class="num">{thousands(c.accepted)}</td>
                                        <td class="num">{percent(c.accepted, c.invited)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Learners and pending invitations per team, now.
#[component]
fn Teams(rows: Vec<TeamCount>, one_team: bool) -> impl IntoView {
    let title = if one_team {
        "Learners in this team"
    } else {
        "Learners per team"
    };
    view! {
        <section class="panel stats-panel" aria-labelledby="teams-title">
            <div class="stats-panel-head">
                <h2 id="teams-title">{title}</h2>
                <span class="muted small">"As of now, whatever the dates"</span>
            </div>
            {if rows.is_empty() {
                view! {
                    <p class="empty-inline">
                        "No teams yet. Teams group learners by department, location or start date; Owners and Administrators create them under Learners & Teams."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap table-scroll-tall">
                        <table class="table" data-testid="teams-stats-table">
                            <thead>
                                <tr>
                                    <th>"Team"</th>
                                    <th class="num">"Learners"</th>
                                    <th class="num">"Pending invites"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        let name = r.team.name.clone();
                                        view! {
                                            <tr data-team=name>
                                                <td>
                                                    <TeamBadge team=r.team />
                                                </td>
                                                <td class="num" data-testid="team-learners">
                                                    {thousands(r.learners)}
                                                </td>
                                                <td class="num" data-testid="team-pending">
                                                    {thousands(r.pending_invites)}
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
            }}
        </section>
    }
}
