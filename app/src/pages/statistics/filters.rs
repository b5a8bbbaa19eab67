//! The Statistics filters: a team and a date range. "Show" puts them in the URL; the page follows
//! the URL, so Back, a reload or a shared link shows the same view.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::{
    components::nav::use_academy,
    domain::{
        calendar::iso_date,
        statistics::{DateRange, StatisticsFilter},
    },
    error::AppError,
    model::statistics::Statistics,
};

#[component]
pub fn Filters(
    filter: Memo<StatisticsFilter>,
    loaded: Signal<Option<Statistics>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let slug = use_academy().academy.slug;
    let base = format!("/a/{slug}/admin/statistics");
    let team = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The fields show the URL's values as typed (a refused date stays in its field)…
    Effect::new(move |_| {
        let f = filter.get();
        team.set(f.team);
        from.set(f.from);
        to.set(f.to);
    });
    // …and, once the numbers arrive, the range and team they are for (the defaults filled in).
    Effect::new(move |_| {
        if let Some(s) = loaded.get() {
            team.set(s.team.map(|t| t.id.to_string()).unwrap_or_default());
            from.set(iso_date(s.range.from_day));
            to.set(iso_date(s.range.to_day));
        }
    });
    let navigate = use_navigate();
    let submit = {
        let base = base.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let f = StatisticsFilter {
                team: team.get_untracked(),
                from: from.get_untracked(),
                to: to.get_untracked(),
            };
            navigate(&format!("{base}{}", f.query_string()), Default::default());
        }
    };
    let field_error = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(name)))
    };
    let (from_error, to_error, team_error) =
        (field_error("from"), field_error("to"), field_error("team"));
    let presets = move || {
        loaded.get().map(|s| {
            let team = s
                .team
                .as_ref()
                .map(|t| t.id.to_string())
                .unwrap_or_default();
            [
                (7, "Last 7 days"),
                (30, "Last 30 days"),
                (90, "Last 90 days"),
                (365, "Last 365 days"),
            ]
            .into_iter()
            .map(|(days, label)| {
                let range = DateRange::last_days(s.today, days);
                let f = StatisticsFilter {
                    team: team.clone(),
                    from: iso_date(range.from_day),
                    to: iso_date(range.to_day),
                };
                let current = (range == s.range).then_some("true");
                view! {
                    <a
                        class="preset"
                        href=format!("{base}{}", f.query_string())
                        aria-current=current
                    >
                        {label}
                    </a>
                }
            })
            .collect_view()
        })
    };
    view! {
        <form
            class="panel stats-filters"
            on:submit=submit
            aria-label="Filters"
            data-testid="stats-filters"
        >
            <div class="filter-field">
                <label for="stats-team">"Team"</label>
                <select
                    id="stats-team"
                    name="team"
                    aria-invalid=move || team_error.get().is_some().then_some("true")
                    on:change=move |ev| team.set(event_target_value(&ev))
                >
                    <option value="" selected=move || team.get().is_empty()>
                        "All teams"
                    </option>
                    {move || {
                        loaded
                            .get()
                            .map(|s| {
                                s.teams
                                    .into_iter()
                                    .map(|t| {
                                        let id = t.id.to_string();
                                        let value = id.clone();
                                        view! {
                                            <option value=value selected=move || team.get() == id>
                                                {t.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </select>
            </div>
            <div class="filter-field" class:invalid=move || from_error.get().is_some()>
                <label for="stats-from">"From"</label>
                <input
                    id="stats-from"
                    name="from"
                    type="date"
                    prop:value=move || from.get()
                    aria-invalid=move || from_error.get().is_some().then_some("true")
                    aria-describedby=move || {
                        from_error.get().is_some().then_some("stats-from-error")
                    }
                    on:input=move |ev| from.set(event_target_value(&ev))
                />
            </div>
            <div class="filter-field" class:invalid=move || to_error.get().is_some()>
                <label for="stats-to">"To"</label>
                <input
                    id="stats-to"
                    name="to"
                    type="date"
                    prop:value=move || to.get()
                    aria-invalid=move || to_error.get().is_some().then_some("true")
                    aria-describedby=move || to_error.get().is_some().then_some("stats-to-error")
                    on:input=move |ev| to.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button button-primary">
                "Show"
            </button>
            <div class="filter-errors" role="alert" data-testid="stats-filter-errors">
                {move || team_error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                {move || {
                    from_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="field-error" id="stats-from-error">
                                    {e}
                                </p>
                            }
                        })
                }}
                {move || {
                    to_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="field-error" id="stats-to-error">
                                    {e}
                                </p>
                            }
                        })
                }}
            </div>
            <nav class="presets" aria-label="Quick date ranges">
                {presets}
            </nav>
        </form>
    }
}
