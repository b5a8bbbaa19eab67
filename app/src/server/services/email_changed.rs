//! "The email address of your account changed": sent to the old and the new address when an admin
//! corrects a learner's email on their page (`learner_page::update`), rendered at send time.

use crate::domain::UserId;
use crate::{
    error::AppError,
    server::{
        mail::message::OutgoingEmail,
        mail::message::escape_html,
        repo::{self, outbox::OutboxRow},
        state::AppState,
    },
};

const STYLE: &str = "font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5";
const MUTED: &str = "font-size:14px;color:#4a5a6d";

/// `None` when the account is gone.
pub async fn render(state: &AppState, row: &OutboxRow) -> Result<Option<OutgoingEmail>, AppError> {
    let Some(user) =
        repo::users::by_id(&state.db.pool, row.academy_id, UserId::new(row.ref_id)).await?
    else {
        return Ok(None);
    };
    let Some(academy) = repo::academies::by_id(&state.db.pool, row.academy_id).await? else {
        return Ok(None);
    };
    let greeting = if user.first_name.is_empty() {
        "Hello".to_string()
    } else {
        format!("Hello {}", user.first_name)
    };
    let sign_in = state.settings.link(&format!("/a/{}/login", academy.slug));
    // The new address is told what to sign in with; the old one that it no longer signs in.
    let to_new = row.to_email == user.email;
    let news = if to_new {
        format!(
            "An administrator of {} changed the email address of your account to this one. From now on you sign in with {}.",
            academy.name, user.email
        )
    } else {
        format!(
            "An administrator of {} changed the email address of your account: this address no longer signs in there.",
            academy.name
        )
    };
    let after = "If you did not expect this, contact the academy's administrators.";
    let subject = format!("Your email address at {} changed", academy.name);
    let text = format!("{greeting},\n\n{news}\n\nSign in: {sign_in}\n\n{after}\n");
    let html = format!(
        "<!doctype html><html><body style=\"{STYLE}\"><p>{}</p><p>{}</p><p><a href=\"{sign_in}\">Sign in</a></p><p style=\"{MUTED}\">{after}</p></body></html>",
        escape_html(&greeting),
        escape_html(&news),
    );
    Ok(Some(OutgoingEmail {
        to_email: row.to_email.clone(),
        to_name: crate::model::full_name(&user.first_name, &user.last_name),
        subject,
        text,
        html,
        message_id: row.message_id.clone(),
        on_behalf_of: None,
        reply_to: None,
    }))
}
