//! The Settings section: General, API and Webhooks.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::settings::ChangePlan,
    components::{
        choice::{Choice, RadioChoices, SaveButton},
        copy_button::CopyButton,
        field::{FormAlert, go_to},
        nav::use_academy,
    },
    domain::role::{LEARNER_ROLES, Plan, Role},
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    view! {
        <Title text="Settings" />
        <div class="page-head">
            <h1>"Settings"</h1>
        </div>
        <SettingsTabs current=Signal::derive(tab) />
        <div role="tabpanel">
            {move || match tab().as_str() {
                "api" => view! { <crate::pages::settings_api::ApiTab /> }.into_any(),
                "webhooks" => {
                    view! { <crate::pages::settings_webhooks::WebhooksSettings /> }.into_any()
                }
                "admins" => view! { <crate::pages::settings_admins::AdminsTab /> }.into_any(),
                _ => view! { <GeneralSettings /> }.into_any(),
            }}
        </div>
    }
}

/// "General" · "API" · "Webhooks".
#[component]
fn SettingsTabs(current: Signal<String>) -> impl IntoView {
    let slug = use_academy().academy.slug;
    let admins_tab = use_academy()
        .viewer
        .user()
        .is_some_and(|u| u.role.can(crate::domain::Permission::ManageStaff));
    let navigate = use_navigate();
    let tab = move |key: &'static str, label: &'static str| {
        let navigate = navigate.clone();
        let slug = slug.clone();
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=format!("settings-tab-{}", if key.is_empty() { "general" } else { key })
                aria-selected=move || (current.get() == key).to_string()
                on:click=move |_| {
                    let q = if key.is_empty() { String::new() } else { format!("?tab={key}") };
                    navigate(&format!("/a/{slug}/admin/settings{q}"), Default::default());
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Settings">
            {tab("", "General")}
            {tab("api", "API")}
            {tab("webhooks", "Webhooks")}
            {admins_tab.then(|| tab("admins", "Admins"))}
        </div>
    }
}

#[component]
fn GeneralSettings() -> impl IntoView {
    let ctx = use_academy();
    let query = use_query_map();
    let saved = move || query.read().get("saved").as_deref() == Some("plan");
    let saved_signup = move || query.read().get("saved").as_deref() == Some("signup");
    let c = ctx;
    let is_owner = c.viewer.user().is_some_and(|u| u.role == Role::Owner);
    let plan = c.academy.plan;
    view! {
        {move || {
            saved_signup()
                .then(|| {
                    view! {
                        <div class="alert alert-info" role="status">
                            "Saved. The sign-up setting is updated."
                        </div>
                    }
                })
        }}
        {move || {
            saved()
                .then(|| {
                    view! {
                        <div class="alert alert-info" role="status" data-testid="settings-notice">
                            {format!("Saved. Your academy is on the {} plan.", plan.label())}
                        </div>
                    }
                })
        }}
        <section class="settings-section">
            <h2>"Your academy"</h2>
            <dl class="facts">
                <dt>"Name"</dt>
                <dd>{c.academy.name.clone()}</dd>
                <dt>"Academy link"</dt>
                <dd>
                    <code data-testid="academy-link">{c.academy_link()}</code>
                    " "
                    <CopyButton text=c.academy_link() what="Copy the academy link" />
                    <br />
                    <span class="muted small">
                        "Learners invited without an email sign up here with the address they were invited with."
                    </span>
                </dd>
            </dl>
        </section>
        <section class="settings-section" aria-labelledby="plan-title">
            <h2 id="plan-title">"Plan"</h2>
            {if is_owner {
                view! { <PlanForm current=plan slug=c.academy.slug.clone() /> }.into_any()
            } else {
                view! {
                    <p data-testid="plan-read-only">
                        {format!("Your academy is on the {} plan. ", plan.label())}
                        <span class="muted">{plan_roles(plan)}</span>
                    </p>
                    <p class="muted small">"Only the academy's Owner can change the plan."</p>
                }
                    .into_any()
            }}
        </section>
        <crate::pages::settings_invitations::InvitationSettings />
        <crate::pages::settings_invitation_email::InvitationEmailSettings />
        <crate::pages::settings_signup::SignupConfirmationSetting current=c
            .academy
            .require_signup_confirmation />
        <crate::pages::settings_access::VisibilitySetting />
        <crate::pages::settings_access::NotificationSettings />
    }
}

/// "Learner roles: Learner, Learner-Analyst." — what a plan offers, from the plan's own rule.
fn plan_roles(plan: Plan) -> String {
    let roles: Vec<&str> = LEARNER_ROLES
        .into_iter()
        .filter(|r| plan.allows(*r))
        .map(Role::label)
        .collect();
    format!("Learner roles: {}.", roles.join(", "))
}

/// The Owner's plan picker. After saving, the page loads again in full, so every part of it (the
/// invite dialog's roles, the learners list) sees the new plan.
#[component]
fn PlanForm(current: Plan, slug: String) -> impl IntoView {
    let chosen = RwSignal::new(current);
    let action = ServerAction::<ChangePlan>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to(&format!("/a/{slug}/admin/settings?saved=plan"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(ChangePlan {
            plan: chosen.get_untracked(),
        });
    };
    let error = Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    });
    view! {
        <form on:submit=submit data-testid="plan-form">
            <FormAlert message=error />
            <RadioChoices
                name="plan"
                legend="Plan"
                current
                chosen
                choices=Plan::ALL
                    .into_iter()
                    .map(|p| Choice {
                        value: p,
                        key: p.as_str(),
                        label: p.label(),
                        description: plan_roles(p),
                    })
                    .collect()
            />
            <SaveButton
                pending=action.pending()
                unchanged=Signal::derive(move || chosen.get() == current)
            />
        </form>
    }
}
