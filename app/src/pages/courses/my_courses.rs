//! The learner home's courses: the published ones for everyone and for the learner's teams.

use leptos::prelude::*;

use crate::api::courses::my_courses;

/// A course as learners see it: title and description on a card.
#[component]
pub fn CourseCardView(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
) -> impl IntoView {
    view! {
        <article class="course-card" data-testid="course-card">
            <div class="course-card-mark" aria-hidden="true">
                {move || crate::format::initial(&title.get())}
            </div>
            <div class="course-card-body">
                <h3>{move || title.get()}</h3>
                {move || {
                    let d = description.get();
                    (!d.is_empty()).then(|| view! { <p class="course-card-text">{d}</p> })
                }}
            </div>
        </article>
    }
}

/// "Your courses". `staff_preview`: a staff member in "View as Learner", who belongs to no team — the
/// list is then what a learner in no team sees (the published courses for everyone), and says so.
#[component]
pub fn MyCourses(staff_preview: bool) -> impl IntoView {
    let courses = Resource::new(|| (), |_| my_courses());
    view! {
        <section class="my-courses" aria-labelledby="my-courses-title">
            <h2 id="my-courses-title">"Your courses"</h2>
            {staff_preview
                .then(|| {
                    view! {
                        <p class="alert alert-info" data-testid="learner-view-courses-note">
                            "You belong to no team, so this is what a learner in no team sees: the published courses for everyone. "
                            "Learners also see the published courses assigned to their teams."
                        </p>
                    }
                })}
            <Transition fallback=|| {
                view! { <p class="loading">"Loading courses…"</p> }
            }>
                {move || match courses.get() {
                    None => ().into_any(),
                    Some(Err(e)) => {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e.to_string()}
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! {
                            <div class="empty-state" data-testid="my-courses-empty">
                                <h3>"No courses yet — your admin will add them here"</h3>
                                <p class="muted">
                                    "Courses for everyone and for your teams appear on this page as soon as they are published."
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <div class="course-grid" data-testid="my-courses">
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <CourseCardView title=c.title description=c.description />
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                }}
            </Transition>
        </section>
    }
}
