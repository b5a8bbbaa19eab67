//! One course (`/a/:slug/admin/courses/:course_id`): the course form, a preview of the learner's card,
//! and deleting the course.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    Audience, DELETE_CONSEQUENCE, StatusBadge,
    course_form::{CourseForm, CourseFormState},
    delete_question,
    my_courses::CourseCardView,
};
use crate::domain::CourseId;
use crate::{
    api::courses::{DeleteCourse, UpdateCourse, get_course},
    components::{dialog::ConfirmDialog, nav::use_academy},
    domain::Permission,
    error::AppError,
    format,
    model::courses::{CourseView, DeletedCourse},
};

#[component]
pub fn CoursePage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=Permission::ManageCourses>
            <Course />
        </crate::pages::admin_shell::RequirePermission>
    }
}

#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Deleted,
    Failed(String),
    Course(CourseId),
}

#[component]
fn Course() -> impl IntoView {
    let slug = use_academy().academy.slug;
    let params = use_params_map();
    let course_id = move || {
        params
            .read()
            .get("course_id")
            .and_then(|id| id.parse::<CourseId>().ok())
    };
    let data = Resource::new(course_id, |id| async move {
        match id {
            Some(id) => get_course(id).await,
            None => Err(AppError::NotFound("There is no such course.".into())),
        }
    });
    let deleted = RwSignal::new(None::<DeletedCourse>);
    let courses_path = format!("/a/{slug}/admin/courses");
    let back = courses_path.clone();
    view! {
        // A static title: a closure over the page's resource panicked in SSR under load (the
        // resource's arena was gone when leptos_meta rendered <title>; ssr_under_load caught it).
        <Title text="Course" />
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href=back>"Courses"</a>
            " /"
        </nav>
        <Transition fallback=|| {
            view! {
                <h1>"Course"</h1>
                <p class="loading">"Loading course…"</p>
            }
        }>
            // Read here, inside the <Transition>: the server renders the course into the
            // page, and the layout's <Suspense> never sees it (read from outside, its loading
            // would swap the whole page for the layout's fallback). It loads again only for
            // another course.
            {move || {
                let shown = match data.get() {
                    _ if deleted.get().is_some() => Shown::Deleted,
                    None => Shown::Loading,
                    Some(Err(e)) => Shown::Failed(e.to_string()),
                    Some(Ok(c)) => Shown::Course(c.id),
                };
                match shown {
                    Shown::Loading => ().into_any(),
                    Shown::Failed(message) => {
                        view! {
                            <h1>"Course"</h1>
                            <section class="empty-state">
                                <h2>{message}</h2>
                                <p>
                                    <a href=courses_path.clone()>"Back to all courses"</a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Shown::Deleted => {
                        view! {
                            <h1>"Course deleted"</h1>
                            <section class="empty-state">
                                <p role="status">
                                    {deleted
                                        .get_untracked()
                                        .map(|d| {
                                            format!(
                                                "\"{}\" is deleted; learners no longer see it.",
                                                d.title,
                                            )
                                        })}
                                </p>
                                <p>
                                    <a class="button button-primary" href=courses_path.clone()>
                                        "Back to all courses"
                                    </a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Shown::Course(_) => {
                        match data.get_untracked().and_then(|r| r.ok()) {
                            Some(course) => {
                                view! {
                                    <CourseBody
                                        course
                                        on_deleted=Callback::new(move |d| deleted.set(Some(d)))
                                    />
                                }
                                    .into_any()
                            }
                            None => ().into_any(),
                        }
                    }
                }
            }}
        </Transition>
    }
}

#[component]
fn CourseBody(course: CourseView, on_deleted: Callback<DeletedCourse>) -> impl IntoView {
    let course_id = course.id;
    let form = CourseFormState::of(&course);
    let current = RwSignal::new(course);
    let save = ServerAction::<UpdateCourse>::new();
    let delete = ServerAction::<DeleteCourse>::new();
    let confirming = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(c)) = save.value().get() {
            saved.set(Some(if c.published {
                "Saved. The course is published: the learners it is for see it.".to_string()
            } else {
                "Saved as a draft: learners do not see it until you publish it.".to_string()
            }));
            current.set(c);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = delete.value().get() {
            on_deleted.run(d);
        }
    });
    let save_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let preview_title = Signal::derive(move || {
        let t = form.title.get();
        if t.trim().is_empty() {
            "Untitled course".to_string()
        } else {
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        }
    });
    let preview_description = Signal::derive(move || form.description.get().trim().to_string());
    view! {
        <div class="page-head">
            <div>
                <h1 class="course-title">
                    {move || current.get().title}" "
                    {move || view! { <StatusBadge published=current.get().published /> }}
                </h1>
                <p class="muted small" data-testid="course-meta">
                    {move || {
                        format!(
                            "Created {} · updated {}",
                            format::date(current.get().created_at),
                            format::date(current.get().updated_at),
                        )
                    }}
                </p>
            </div>
        </div>
        <div class="course-layout">
            <section class="panel" aria-labelledby="course-edit-title">
                <h2 id="course-edit-title">"Course details"</h2>
                <CourseForm
                    form_id="course"
                    state=form
                    submit_label="Save changes"
                    pending_label="Saving…"
                    pending=save.pending()
                    error=save_error
                    on_submit=Callback::new(move |_| {
                        saved.set(None);
                        save.dispatch(UpdateCourse {
                            course_id,
                            course: form.input(),
                        });
                    })
                />
                {move || {
                    saved
                        .get()
                        .map(|m| {
                            view! {
                                <p
                                    class="alert alert-info"
                                    role="status"
                                    data-testid="course-saved"
                                >
                                    {m}
                                </p>
                            }
                        })
                }}
            </section>
            <aside class="course-side">
                <section class="panel" aria-labelledby="course-preview-title">
                    <h2 id="course-preview-title">"On the learner home"</h2>
                    <p class="muted small">
                        "The card learners see once the course is saved and published."
                    </p>
                    <CourseCardView title=preview_title description=preview_description />
                    <p class="small course-audience-now">
                        "Now shown to: "
                        {move || {
                            let c = current.get();
                            if c.published {
                                view! { <Audience course=c /> }.into_any()
                            } else {
                                view! { <span class="muted">"nobody (draft)"</span> }.into_any()
                            }
                        }}
                    </p>
                </section>
                <section class="panel" aria-labelledby="course-delete-title">
                    <h2 id="course-delete-title">"Delete course"</h2>
                    <p class="muted small">
                        "Learners stop seeing it at once. To hide it for a while, untick \"Published\" instead."
                    </p>
                    <button
                        type="button"
                        class="button button-danger-outline"
                        on:click=move |_| {
                            delete.value().set(None);
                            confirming.set(true);
                        }
                    >
                        "Delete course…"
                    </button>
                    {move || {
                        confirming
                            .get()
                            .then(|| {
                                view! {
                                    <ConfirmDialog
                                        title=delete_question(&current.get_untracked().title)
                                        text=DELETE_CONSEQUENCE
                                        yes="Yes, delete course"
                                        busy=delete.pending()
                                        error=crate::components::field::failure(delete.value())
                                        on_yes=Callback::new(move |_| {
                                            delete.dispatch(DeleteCourse { course_id });
                                        })
                                        on_cancel=Callback::new(move |_| confirming.set(false))
                                    />
                                }
                            })
                    }}
                </section>
            </aside>
        </div>
    }
}
