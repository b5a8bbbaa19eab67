use leptos::prelude::*;

use super::ListControls;
use crate::{
    api::invites::list_learners,
    format,
    model::{ListQuery, Page},
};

#[component]
pub fn LearnersTab(version: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let data = Resource::new(
        move || (search.get(), page.get(), version.get()),
        |(search, page, _)| {
            list_learners(ListQuery {
                search,
                filter: String::new(),
                page,
            })
        },
    );
    let loaded = move || data.get().and_then(|r| r.ok());
    let pages = Signal::derive(move || loaded().map(|p: Page<_>| p.pages()).unwrap_or(1));
    let total = Signal::derive(move || loaded().map(|p| p.total).unwrap_or(0));
    view! {
        <ListControls search page pages total placeholder="Search learners by name or email">""</ListControls>
        <Transition fallback=|| view! { <p class="loading">"Loading learners…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }.into_any(),
                Ok(p) if p.rows.is_empty() && search.get_untracked().is_empty() => view! {
                    <section class="empty-state">
                        <h2>"No learners yet"</h2>
                        <p>"Learners appear here once they accept their invitation. Use \"Invite Learners\" to invite the first ones."</p>
                    </section>
                }.into_any(),
                Ok(p) if p.rows.is_empty() => view! { <p class="empty-inline">"No learner matches your search."</p> }.into_any(),
                Ok(p) => view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="learners-table">
                            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Teams"</th><th>"Registered"</th><th>"Last sign-in"</th></tr></thead>
                            <tbody>
                                {p.rows.into_iter().map(|l| view! {
                                    <tr>
                                        <td>{format!("{} {}", l.first_name, l.last_name)}</td>
                                        <td>{l.email}</td>
                                        <td>{l.role.label()}</td>
                                        <td>{l.teams.into_iter().map(|t| view! { <span class="badge">{t}</span>" " }).collect_view()}</td>
                                        <td>{format::date(l.registered_at)}</td>
                                        <td>{l.last_sign_in_at.map(format::date_time).unwrap_or_else(|| "Never".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
