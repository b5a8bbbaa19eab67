//! "Team settings": name and colour, the API ID, and deleting the team.

use leptos::prelude::*;

use super::{delete_consequence, delete_question, team_form::TeamForm};
use crate::components::{copy_button::CopyButton, dialog::ConfirmDialog};
use crate::{
    api::teams::{DeleteTeam, UpdateTeam},
    model::{DeletedTeam, TeamSummary, TeamView},
};

#[component]
pub fn TeamSettings(
    team: TeamView,
    summary: Signal<Option<TeamSummary>>,
    on_saved: Callback<()>,
    on_deleted: Callback<DeletedTeam>,
) -> impl IntoView {
    let team_id = team.id;
    let name = RwSignal::new(team.name.clone());
    let color = RwSignal::new(team.color.clone());
    let save = ServerAction::<UpdateTeam>::new();
    let delete = ServerAction::<DeleteTeam>::new();
    let confirming = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(t)) = save.value().get() {
            saved.set(Some(format!("Saved: the team is now \"{}\".", t.name)));
            on_saved.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = delete.value().get() {
            on_deleted.run(d);
        }
    });
    let save_error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let api_id = team_id.to_string();
    let copy_id = api_id.clone();
    let question = move || delete_question(&name.get());
    let consequence = move || {
        summary
            .get()
            .map(|s| delete_consequence(s.learners_count, s.invites_count))
            .unwrap_or_default()
    };
    view! {
        <section class="team-section panel" aria-labelledby="team-settings-title">
            <h2 id="team-settings-title">"Team settings"</h2>
            <div class="settings-grid">
                <div>
                    <TeamForm
                        form_id="team-settings"
                        name
                        color
                        submit_label="Save changes"
                        pending_label="Saving…"
                        pending=save.pending()
                        error=save_error
                        on_submit=Callback::new(move |_| {
                            saved.set(None);
                            save.dispatch(UpdateTeam {
                                team_id,
                                name: name.get_untracked(),
                                color: color.get_untracked(),
                            });
                        })
                    />
                    {move || {
                        saved
                            .get()
                            .map(|m| {
                                view! {
                                    <p class="alert alert-info" role="status">
                                        {m}
                                    </p>
                                }
                            })
                    }}
                </div>
                <div>
                    <h3>"API ID"</h3>
                    <p class="muted small">
                        "The id the API uses for this team (\"teams\" in inviteLearners and addLearnersToTeams)."
                    </p>
                    <p class="api-id">
                        <code data-testid="team-api-id">{api_id}</code>
                        " "
                        <CopyButton text=copy_id what="Copy the team's API ID" />
                    </p>
                    <h3>"Delete team"</h3>
                    <p class="muted small">
                        "Learners stay in the academy; pending invitations lose only this team."
                    </p>
                    <button
                        type="button"
                        class="button button-danger-outline"
                        on:click=move |_| {
                            delete.value().set(None);
                            confirming.set(true);
                        }
                    >
                        "Delete team…"
                    </button>
                    {move || {
                        confirming
                            .get()
                            .then(|| {
                                view! {
                                    <ConfirmDialog
                                        title=question()
                                        text=consequence()
                                        yes="Yes, delete team"
                                        busy=delete.pending()
                                        error=crate::components::field::failure(delete.value())
                                        on_yes=Callback::new(move |_| {
                                            delete.dispatch(DeleteTeam { team_id });
                                        })
                                        on_cancel=Callback::new(move |_| confirming.set(false))
                                    />
                                }
                            })
                    }}
                </div>
            </div>
        </section>
    }
}
