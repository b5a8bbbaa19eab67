//! How a team looks wherever it appears: a badge in its colour, and the colour picker.

use leptos::prelude::*;

use crate::{domain::team::TEAM_COLORS, model::TeamView};

/// The team's name on its colour (every palette colour keeps white text readable).
#[component]
pub fn TeamBadge(team: TeamView) -> impl IntoView {
    view! {
        <span
            class="team-badge"
            style=format!("background:{}", team.color)
            data-testid="team-badge"
        >
            {team.name}
        </span>
    }
}

/// A row of badges, or a dash when there are none.
#[component]
pub fn TeamBadges(teams: Vec<TeamView>) -> impl IntoView {
    if teams.is_empty() {
        view! { <span class="muted">"—"</span> }.into_any()
    } else {
        view! {
            <span class="team-badges">
                {teams.into_iter().map(|t| view! { <TeamBadge team=t /> }).collect_view()}
            </span>
        }
        .into_any()
    }
}

/// The palette as a radio group of named swatches: arrow keys move between them.
#[component]
pub fn ColorPicker(color: RwSignal<String>, #[prop(into)] name: String) -> impl IntoView {
    view! {
        <div class="color-picker" role="radiogroup" aria-label="Colour">
            {TEAM_COLORS
                .into_iter()
                .map(|(hex, label)| {
                    let name = name.clone();
                    view! {
                        <label class="swatch" title=label>
                            <input
                                type="radio"
                                name=name
                                value=hex
                                prop:checked=move || color.get().eq_ignore_ascii_case(hex)
                                on:change=move |_| color.set(hex.to_string())
                            />
                            <span class="swatch-color" style=format!("background:{hex}")></span>
                            <span class="sr-only">{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}
