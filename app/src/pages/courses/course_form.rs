//! The course form: "Create course" and a course's page. Title, description, who sees it (everyone or
//! some teams) and whether it is published; every error under its own field.

use leptos::{ev, html, prelude::*};

use crate::domain::TeamId;
use crate::{
    api::courses::course_team_choices,
    components::team_badge::TeamBadge,
    domain::course::{COURSE_DESCRIPTION_MAX_LEN, COURSE_TITLE_MAX_LEN, description_length},
    error::AppError,
    model::courses::{CourseInput, CourseView},
};

/// What the form holds while someone edits it.
#[derive(Clone, Copy)]
pub struct CourseFormState {
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub published: RwSignal<bool>,
    pub for_everyone: RwSignal<bool>,
    pub team_ids: RwSignal<Vec<TeamId>>,
}

impl CourseFormState {
    /// An empty form: a draft for everyone (the common case: one onboarding course for all).
    pub fn new() -> Self {
        CourseFormState {
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            published: RwSignal::new(false),
            for_everyone: RwSignal::new(true),
            team_ids: RwSignal::new(vec![]),
        }
    }

    pub fn of(course: &CourseView) -> Self {
        CourseFormState {
            title: RwSignal::new(course.title.clone()),
            description: RwSignal::new(course.description.clone()),
            published: RwSignal::new(course.published),
            for_everyone: RwSignal::new(course.for_everyone),
            team_ids: RwSignal::new(course.teams.iter().map(|t| t.id).collect()),
        }
    }

    pub fn clear(&self) {
        self.title.set(String::new());
        self.description.set(String::new());
        self.published.set(false);
        self.for_everyone.set(true);
        self.team_ids.set(vec![]);
    }

    pub fn input(&self) -> CourseInput {
        CourseInput {
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            published: self.published.get_untracked(),
            for_everyone: self.for_everyone.get_untracked(),
            team_ids: self.team_ids.get_untracked(),
        }
    }
}

#[component]
pub fn CourseForm(
    /// Field ids must be unique on the page.
    form_id: &'static str,
    state: CourseFormState,
    submit_label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    on_submit: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
    /// Put the cursor in the title when the form appears (a form opened by a button).
    #[prop(optional)]
    focus_title: bool,
) -> impl IntoView {
    let CourseFormState {
        title,
        description,
        published,
        for_everyone,
        team_ids,
    } = state;
    let message = move |field: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(field)))
    };
    let title_error = message("title");
    let description_error = message("description");
    let teams_error = message("team_ids");
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| {
                ["title", "description", "team_ids"]
                    .iter()
                    .all(|f| e.field_message(f).is_none())
            })
            .map(|e| e.to_string())
    });
    let title_input = NodeRef::<html::Input>::new();
    if focus_title {
        Effect::new(move |_| {
            if let Some(el) = title_input.get() {
                let _ = el.focus();
            }
        });
    }
    // A picker, loaded in the browser and read only there: the form appears only once its course
    // has loaded (or on a click), and a server resource made that late did not hydrate; read on
    // the server, a browser-only resource would hold the page's <Transition> on its fallback.
    let teams = LocalResource::new(course_team_choices);
    let in_browser = RwSignal::new(false);
    Effect::new(move |_| in_browser.set(true));
    let id = move |part: &str| format!("{form_id}-{part}");
    let used = move || description_length(&description.get());
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    let described = |id: String, error: Signal<Option<String>>| {
        move || {
            if error.get().is_some() {
                format!("{id}-hint {id}-error")
            } else {
                format!("{id}-hint")
            }
        }
    };
    view! {
        <form class="course-form" on:submit=submit novalidate data-testid=form_id>
            {move || {
                form_error
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <div class="field" class:invalid=move || title_error.get().is_some()>
                <label for=id("title")>"Title"</label>
                <input
                    node_ref=title_input
                    id=id("title")
                    name="title"
                    type="text"
                    required
                    autocomplete="off"
                    maxlength=COURSE_TITLE_MAX_LEN
                    aria-invalid=move || title_error.get().is_some().then_some("true")
                    aria-describedby=described(id("title"), title_error)
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <p class="hint" id=id("title-hint")>
                    {format!(
                        "Up to {COURSE_TITLE_MAX_LEN} characters; no two courses of the academy share a title.",
                    )}
                </p>
                {move || {
                    title_error
                        .get()
                        .map(|m| {
                            view! {
                                <p class="field-error" id=id("title-error")>
                                    {m}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="field" class:invalid=move || description_error.get().is_some()>
                <label for=id(
                    "description",
                )>"Description " <span class="muted optional">"(optional)"</span></label>
                <textarea
                    id=id("description")
                    name="description"
                    rows="5"
                    aria-invalid=move || description_error.get().is_some().then_some("true")
                    aria-describedby=described(id("description"), description_error)
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                ></textarea>
                <p
                    class="hint counter"
                    id=id("description-hint")
                    class:over=move || { used() > COURSE_DESCRIPTION_MAX_LEN }
                >
                    <span>"What learners read on the course card."</span>
                    <span aria-live="polite">
                        {move || format!("{} / {}", used(), COURSE_DESCRIPTION_MAX_LEN)}
                    </span>
                </p>
                {move || {
                    description_error
                        .get()
                        .map(|m| {
                            view! {
                                <p class="field-error" id=id("description-error")>
                                    {m}
                                </p>
                            }
                        })
                }}
            </div>
            <fieldset
                class="course-audience"
                aria-describedby=move || teams_error.get().is_some().then(|| id("teams-error"))
            >
                <legend>"Who sees it"</legend>
                <label class="radio">
                    <input
                        type="radio"
                        name=id("audience")
                        value="everyone"
                        prop:checked=move || for_everyone.get()
                        on:change=move |_| for_everyone.set(true)
                    />
                    <span>
                        <strong>"Everyone in the academy"</strong>
                        <br />
                        <span class="muted small">
                            "Every learner, whatever their teams — and people who join later."
                        </span>
                    </span>
                </label>
                <label class="radio">
                    <input
                        type="radio"
                        name=id("audience")
                        value="teams"
                        prop:checked=move || !for_everyone.get()
                        on:change=move |_| for_everyone.set(false)
                    />
                    <span>
                        <strong>"Only these teams"</strong>
                        <br />
                        <span class="muted small">
                            "Learners in at least one of the chosen teams."
                        </span>
                    </span>
                </label>
                <div
                    class="team-choices course-teams"
                    class:dimmed=move || for_everyone.get()
                    role="group"
                    aria-label="Teams"
                >
                    // The server renders "Loading teams…", and so does the browser until it has
                    // hydrated (they agree); then the list loads inside a <Transition> of its own,
                    // so the page's <Transition> never waits for it (a wait there detaches the page
                    // and the title field loses its focus).
                    {move || {
                        if !in_browser.get() {
                            view! { <p class="muted small">"Loading teams…"</p> }.into_any()
                        } else {
                            view! {
                                <Transition fallback=|| {
                                    view! { <p class="muted small">"Loading teams…"</p> }
                                }>
                                    {move || match teams.get() {
                                        None => ().into_any(),
                                        Some(Err(e)) => {
                                            view! { <p class="field-error">{e.to_string()}</p> }
                                                .into_any()
                                        }
                                        Some(Ok(list)) if list.is_empty() => {
                                            view! {
                                                <p class="muted small">
                                                    "No teams yet. Create teams under \"Learners & Teams\" → \"Teams\" to give a course to some learners only."
                                                </p>
                                            }
                                                .into_any()
                                        }
                                        Some(Ok(list)) => {
                                            list.into_iter()
                                                .map(|t| {
                                                    let team_id = t.id;
                                                    view! {
                                                        <label class="checkbox">
                                                            <input
                                                                type="checkbox"
                                                                value=team_id.to_string()
                                                                disabled=move || for_everyone.get()
                                                                prop:checked=move || team_ids.get().contains(&team_id)
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    team_ids
                                                                        .update(|c| {
                                                                            if on {
                                                                                c.push(team_id)
                                                                            } else {
                                                                                c.retain(|x| *x != team_id)
                                                                            }
                                                                        });
                                                                }
                                                            />
                                                            <TeamBadge team=t />
                                                        </label>
                                                    }
                                                })
                                                .collect_view()
                                                .into_any()
                                        }
                                    }}
                                </Transition>
                            }
                                .into_any()
                        }
                    }}
                </div>
                {move || {
                    teams_error
                        .get()
                        .map(|m| {
                            view! {
                                <p class="field-error" id=id("teams-error")>
                                    {m}
                                </p>
                            }
                        })
                }}
                {move || {
                    (!for_everyone.get() && team_ids.get().is_empty()
                        && teams_error.get().is_none())
                        .then(|| {
                            view! {
                                <p class="hint">
                                    "No team chosen: the course is kept for nobody until you choose one."
                                </p>
                            }
                        })
                }}
            </fieldset>
            <label class="checkbox course-publish">
                <input
                    type="checkbox"
                    name="published"
                    prop:checked=move || published.get()
                    on:change=move |ev| published.set(event_target_checked(&ev))
                />
                <span>
                    <strong>"Published"</strong>
                    <br />
                    <span class="muted small">
                        "Learners it is for see it on their home page. Unticked, it stays a draft only admins see."
                    </span>
                </span>
            </label>
            <div class="form-actions">
                {on_cancel
                    .map(|c| {
                        view! {
                            <button type="button" class="button" on:click=move |_| c.run(())>
                                "Cancel"
                            </button>
                        }
                    })}
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { pending_label } else { submit_label }}
                </button>
            </div>
        </form>
    }
}
