//! The confirmation-code email of a sign-up without an invitation link.

use crate::domain::SignupCodeId;
use crate::{
    error::AppError,
    server::{db::now_ms, mail::message::OutgoingEmail, repo, state::AppState, tokens},
};

/// `None` when the sign-up is gone (finished, replaced or expired): nothing to send.
pub async fn render(
    state: &AppState,
    code_id: SignupCodeId,
    message_id: &str,
) -> Result<Option<OutgoingEmail>, AppError> {
    let Some(pending) = repo::signup_codes::by_id(&state.db.pool, code_id).await? else {
        return Ok(None);
    };
    if pending.expires_at <= now_ms() {
        return Ok(None);
    }
    let Some(academy) = repo::academies::by_id(&state.db.pool, pending.academy_id).await? else {
        return Ok(None);
    };
    let code = tokens::derive_code(&state.settings.secret, &pending.salt);
    let subject = format!("Your code for {}: {code}", academy.name);
    let text = format!(
        "Hello {},\n\nTo finish signing up to {} on Shoal, enter this code:\n\n    {code}\n\nIt works for 30 minutes. If you did not sign up, ignore this email.\n",
        pending.first_name, academy.name
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#0f1d2e\"><p>To finish signing up, enter this code:</p>\
         <p style=\"font-size:28px;letter-spacing:6px;font-weight:700\">{code}</p><p style=\"color:#4a5a6d\">It works for 30 minutes. If you did not sign up, ignore this email.</p></body></html>"
    );
    Ok(Some(OutgoingEmail {
        to_email: pending.email.clone(),
        to_name: crate::model::full_name(&pending.first_name, &pending.last_name),
        subject,
        text,
        html,
        message_id: message_id.to_string(),
        on_behalf_of: None,
        reply_to: None,
    }))
}
