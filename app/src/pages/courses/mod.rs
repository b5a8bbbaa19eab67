//! The Courses section (`/a/:slug/admin/courses`), a course's page (`…/courses/:course_id`) and the
//! learner home's course cards. Like the other lists, they arrive with the page (see `pages`).

mod course_form;
mod course_page;
mod my_courses;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::CourseId;
use crate::{
    api::courses::{CreateCourse, DeleteCourse, PublishCourse, list_courses},
    components::{
        dialog::ConfirmDialog,
        nav::use_academy,
        notice::{Notice, NoticeLine},
        team_badge::TeamBadge,
    },
    domain::Permission,
    format,
    model::{ListQuery, courses::CourseView},
    pages::learners::ListControls,
};
use course_form::{CourseForm, CourseFormState};
pub use course_page::CoursePage;
pub use my_courses::MyCourses;

#[component]
pub fn CoursesPage() -> impl IntoView {
    view! {
        <crate::pages::admin_shell::RequirePermission needs=Permission::ManageCourses>
            <Courses />
        </crate::pages::admin_shell::RequirePermission>
    }
}

/// "Published" or "Draft", as the list and the course page show it.
#[component]
pub(crate) fn StatusBadge(published: bool) -> impl IntoView {
    if published {
        view! {
            <span class="status status-ok" data-testid="course-status">
                "Published"
            </span>
        }
        .into_any()
    } else {
        view! {
            <span class="status" data-testid="course-status">
                "Draft"
            </span>
        }
        .into_any()
    }
}

/// Who sees a course: "Everyone", its teams' badges, or "Not assigned".
#[component]
pub(crate) fn Audience(course: CourseView) -> impl IntoView {
    if course.for_everyone {
        view! {
            <span class="badge audience-everyone" data-testid="course-everyone">
                "Everyone"
            </span>
        }
        .into_any()
    } else if course.teams.is_empty() {
        view! { <span class="muted small">"Not assigned"</span> }.into_any()
    } else {
        view! {
            <span class="team-badges">
                {course.teams.into_iter().map(|t| view! { <TeamBadge team=t /> }).collect_view()}
            </span>
        }
        .into_any()
    }
}

/// "Delete "Safety"? Learners no longer see it." — what deleting does, before it is done.
pub(crate) fn delete_question(title: &str) -> String {
    format!("Delete the course \"{title}\"?")
}

/// What deleting a course does, under its question.
pub(crate) const DELETE_CONSEQUENCE: &str = "Learners no longer see it. This cannot be undone.";

#[component]
fn Courses() -> impl IntoView {
    let slug = use_academy().academy.slug;
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let creating = RwSignal::new(false);
    let form = CourseFormState::new();
    let create = ServerAction::<CreateCourse>::new();
    let publish = ServerAction::<PublishCourse>::new();
    let delete = ServerAction::<DeleteCourse>::new();
    let confirming = RwSignal::new(None::<CourseId>);
    let notice = Notice::default();
    // In the page's HTML from the server; reloaded after each change.
    let data = Resource::new(
        move || {
            let query = ListQuery {
                search: search.get(),
                page: page.get(),
                ..Default::default()
            };
            let reloads = (
                create.version().get(),
                publish.version().get(),
                delete.version().get(),
            );
            (query, reloads)
        },
        |(query, _)| list_courses(query),
    );
    Effect::new(move |_| {
        if let Some(Ok(c)) = create.value().get() {
            let state = if c.published {
                "published"
            } else {
                "saved as a draft"
            };
            notice.info(format!("Course \"{}\" created and {state}.", c.title));
            creating.set(false);
            form.clear();
        }
    });
    notice.follow(publish.value(), |c: CourseView| {
        Some(if c.published {
            format!(
                "\"{}\" is published: the learners it is for see it now.",
                c.title
            )
        } else {
            format!(
                "\"{}\" is a draft again: learners no longer see it.",
                c.title
            )
        })
    });
    notice.follow(delete.value(), move |d| {
        confirming.set(None);
        Some(format!("Course \"{}\" deleted.", d.title))
    });
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let loaded = move || data.get().and_then(|r| r.ok());
    let pages = Signal::derive(move || loaded().map(|p| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    let open_form = move || {
        create.value().set(None);
        creating.set(true);
    };
    let course_path = move |id: CourseId| format!("/a/{slug}/admin/courses/{id}");
    view! {
        <Title text="Courses" />
        <div class="page-head">
            <div>
                <h1>"Courses"</h1>
                <p class="muted page-lead">
                    "Learners see the published courses meant for them on their home page: those for everyone and those of their teams."
                </p>
            </div>
            <button
                type="button"
                class="button button-primary"
                aria-expanded=move || creating.get().to_string()
                data-testid="create-course-button"
                on:click=move |_| {
                    if creating.get_untracked() { creating.set(false) } else { open_form() }
                }
            >
                "Create course"
            </button>
        </div>
        <Show when=move || creating.get()>
            <section class="panel" aria-labelledby="create-course-title">
                <h2 id="create-course-title">"Create course"</h2>
                <CourseForm
                    form_id="new-course"
                    state=form
                    submit_label="Create course"
                    pending_label="Creating…"
                    pending=create.pending()
                    error=create_error
                    focus_title=true
                    on_submit=Callback::new(move |_| {
                        create
                            .dispatch(CreateCourse {
                                course: form.input(),
                            });
                    })
                    on_cancel=Callback::new(move |_| creating.set(false))
                />
            </section>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading courses…"</p> }>
            <ListControls search page pages total placeholder="Search courses by title" />
            <NoticeLine notice test_id="courses-notice" />
            {move || match data.get() {
                None => ().into_any(),
                Some(Err(e)) => {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() && search.get_untracked().trim().is_empty() => {
                    view! {
                        <section class="empty-state" data-testid="courses-empty">
                            <h2>"No courses yet"</h2>
                            <p>
                                "Use \"Create course\": give it a title and a short description, choose who sees it — everyone or some teams — and publish it. Learners then find it on their home page."
                            </p>
                            <Show when=move || !creating.get()>
                                <button
                                    type="button"
                                    class="button button-primary"
                                    on:click=move |_| open_form()
                                >
                                    "Create your first course"
                                </button>
                            </Show>
                        </section>
                    }
                        .into_any()
                }
                Some(Ok(p)) if p.rows.is_empty() => {
                    view! { <p class="empty-inline">"No course matches your search."</p> }
                        .into_any()
                }
                Some(Ok(p)) => {
                    view! {
                        <div class="table-wrap">
                            <table class="table courses-table" data-testid="courses-table">
                                <thead>
                                    <tr>
                                        <th>"Course"</th>
                                        <th>"Status"</th>
                                        <th>"Who sees it"</th>
                                        <th>"Updated"</th>
                                        <th>
                                            <span class="sr-only">"Actions"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|c| {
                                            let href = course_path(c.id);
                                            view! {
                                                <CourseRow course=c href publish delete confirming />
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </Transition>
    }
}

#[component]
fn CourseRow(
    course: CourseView,
    href: String,
    publish: ServerAction<PublishCourse>,
    delete: ServerAction<DeleteCourse>,
    confirming: RwSignal<Option<CourseId>>,
) -> impl IntoView {
    let id = course.id;
    let published = course.published;
    let question = delete_question(&course.title);
    let edit_label = format!("Edit course {}", course.title);
    let publish_label = format!(
        "{} course {}",
        if published { "Unpublish" } else { "Publish" },
        course.title
    );
    let delete_label = format!("Delete course {}", course.title);
    let summary = course
        .description
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    view! {
        <tr data-testid="course-row" data-title=course.title.clone()>
            <td class="course-cell">
                <a class="course-link" href=href.clone()>
                    {course.title.clone()}
                </a>
                {(!summary.is_empty())
                    .then(|| view! { <span class="course-summary muted small">{summary}</span> })}
            </td>
            <td>
                <StatusBadge published />
            </td>
            <td>
                <Audience course=course.clone() />
            </td>
            <td class="nowrap">{format::date(course.updated_at)}</td>
            <td class="actions">
                <a class="link-button" href=href.clone() aria-label=edit_label.clone()>
                    "Edit"
                </a>
                <button
                    type="button"
                    class="link-button"
                    aria-label=publish_label.clone()
                    disabled=move || publish.pending().get()
                    on:click=move |_| {
                        publish
                            .dispatch(PublishCourse {
                                course_id: id,
                                published: !published,
                            });
                    }
                >
                    {if published { "Unpublish" } else { "Publish" }}
                </button>
                <button
                    type="button"
                    class="link-button danger"
                    aria-label=delete_label.clone()
                    on:click=move |_| {
                        delete.value().set(None);
                        confirming.set(Some(id));
                    }
                >
                    "Delete"
                </button>
                {move || {
                    (confirming.get() == Some(id))
                        .then(|| {
                            view! {
                                <ConfirmDialog
                                    title=question.clone()
                                    text=DELETE_CONSEQUENCE
                                    yes="Yes, delete course"
                                    busy=delete.pending()
                                    error=crate::components::field::failure(delete.value())
                                    on_yes=Callback::new(move |_| {
                                        delete.dispatch(DeleteCourse { course_id: id });
                                    })
                                    on_cancel=Callback::new(move |_| confirming.set(None))
                                />
                            }
                        })
                }}
            </td>
        </tr>
    }
}
