//! One choice out of a few, each on a line of its own with what it means, the saved one marked
//! "(current)", and the Save button that goes with it (Settings: the plan, the visibility).

use leptos::prelude::*;

/// One option: its value, the radio's `value` (the stored form), its name, and what it means.
pub struct Choice<T> {
    pub value: T,
    pub key: &'static str,
    pub label: &'static str,
    pub description: String,
}

/// The radio buttons of `choices` in a fieldset; `chosen` follows the selection. With
/// `testid_prefix`, each radio has `data-testid="<prefix>-<key>"`.
#[component]
pub fn RadioChoices<T>(
    name: &'static str,
    /// Read by screen readers only: the question the choices answer.
    legend: &'static str,
    choices: Vec<Choice<T>>,
    current: T,
    chosen: RwSignal<T>,
    #[prop(optional)] testid_prefix: Option<&'static str>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="roles">
            <legend class="sr-only">{legend}</legend>
            {choices
                .into_iter()
                .map(|c| {
                    let v = c.value;
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name=name
                                value=c.key
                                data-testid=testid_prefix.map(|p| format!("{p}-{}", c.key))
                                checked=v == current
                                prop:checked=move || chosen.get() == v
                                on:change=move |_| chosen.set(v)
                            />
                            <span>
                                <strong>{c.label}</strong>
                                {(v == current)
                                    .then(|| {
                                        view! { <span class="muted small">" (current)"</span> }
                                    })}
                                <br />
                                <span class="muted small">{c.description}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// "Save" ("Saving…" while `pending`), disabled while saving or while nothing changed.
#[component]
pub fn SaveButton(
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] unchanged: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="button button-primary"
            disabled=move || pending.get() || unchanged.get()
        >
            {move || if pending.get() { "Saving…" } else { "Save" }}
        </button>
    }
}
