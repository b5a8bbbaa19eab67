//! "Sign-ups per day": an SVG bar chart drawn from `domain::statistics`' scale, bars and labels (no
//! chart library), with a summary for screen readers and the numbers as a table beneath.

use leptos::prelude::*;

use crate::domain::{
    calendar::{iso_date, long_date},
    statistics::{CHART, DateRange, DayCount, Scale, bars, chart_summary, date_labels, thousands},
};

/// How tall a day with no sign-ups is drawn: a sliver on the baseline, so "0" is visible.
const ZERO_MARK: f64 = 2.0;

#[component]
pub fn SignupsChart(range: DateRange, series: Vec<DayCount>) -> impl IntoView {
    let total: i64 = series.iter().map(|d| d.count).sum();
    if total == 0 {
        return view! {
            <div class="chart-empty" data-testid="signups-empty">
                <p>
                    <strong>
                        {format!(
                            "No sign-ups between {} and {}.",
                            long_date(range.from_day),
                            long_date(range.to_day),
                        )}
                    </strong>
                </p>
                <p class="muted small">
                    "Learners appear here on the day they register. Choose a wider date range, or another team."
                </p>
            </div>
        }
        .into_any();
    }
    let frame = CHART;
    let scale = Scale::for_max(series.iter().map(|d| d.count).max().unwrap_or(0));
    let summary = chart_summary(range, &series);
    let right = frame.width - frame.right;
    let ticks = scale
        .ticks()
        .into_iter()
        .map(|t| {
            let y = frame.y(t, &scale);
            let class = if t == 0 { "chart-axis" } else { "chart-grid" };
            view! {
                <line class=class x1=frame.left x2=right y1=y y2=y />
                <text class="chart-label" x=frame.left - 8.0 y=y dy="0.32em" text-anchor="end">
                    {thousands(t)}
                </text>
            }
        })
        .collect_view();
    let columns = bars(&series, &scale, &frame)
        .into_iter()
        .map(|b| {
            let tip = format!(
                "{}: {} sign-up{}",
                long_date(b.day),
                thousands(b.count),
                if b.count == 1 { "" } else { "s" }
            );
            let (y, height, class) = if b.count == 0 {
                (
                    frame.baseline() - ZERO_MARK,
                    ZERO_MARK,
                    "chart-bar chart-bar-zero",
                )
            } else {
                (b.y, b.height, "chart-bar")
            };
            view! {
                <rect
                    class=class
                    x=b.x
                    y=y
                    width=b.width
                    height=height
                    rx="2"
                    data-day=iso_date(b.day)
                    data-count=b.count
                >
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let labels = date_labels(range, &frame)
        .into_iter()
        .map(|(x, label)| {
            view! {
                <text
                    class="chart-label chart-date"
                    x=x
                    y=frame.baseline() + 20.0
                    text-anchor="middle"
                >
                    {label}
                </text>
            }
        })
        .collect_view();
    let rows = series
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <td>{long_date(d.day)}</td>
                    <td class="num">{thousands(d.count)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                class="chart-svg"
                data-testid="signups-chart"
                role="img"
                aria-label=summary.clone()
                viewBox=format!("0 0 {} {}", frame.width, frame.height)
                preserveAspectRatio="xMidYMid meet"
            >
                <title>"Sign-ups per day"</title>
                <g class="chart-ticks">{ticks}</g>
                <g class="chart-bars">{columns}</g>
                <g class="chart-dates">{labels}</g>
            </svg>
            <figcaption class="muted small">{summary}</figcaption>
        </figure>
        <details class="chart-table">
            <summary>"Show the numbers"</summary>
            <div class="table-scroll">
                <table class="table table-compact">
                    <thead>
                        <tr>
                            <th>"Day (UTC)"</th>
                            <th class="num">"Sign-ups"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}
