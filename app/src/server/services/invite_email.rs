//! The invitation email, rendered at send time from the outbox row (the link is derived from the
//! server secret then, so the database never holds a working link).

use crate::{
    domain::{
        invite::{InviteState, NEVER_EXPIRES},
        role::Role,
    },
    error::AppError,
    server::{mail::message::OutgoingEmail, repo, services::invites::join_link, state::AppState},
};

pub struct RenderedInvite {
    pub invite_id: i64,
    pub email: OutgoingEmail,
}

/// A date people read: "12 December 2026".
pub fn human_date(ms: i64) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

pub(crate) fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `None` when there is nothing to send any more (the invitation was accepted or revoked meanwhile).
/// A `reminder` says so in its subject and first line.
pub async fn render(
    state: &AppState,
    token_id: i64,
    message_id: &str,
    reminder: bool,
) -> Result<Option<RenderedInvite>, AppError> {
    let Some(facts) = repo::invites::email_facts(&state.db.pool, token_id).await? else {
        return Ok(None);
    };
    if InviteState::parse(&facts.status) != InviteState::Pending {
        return Ok(None);
    }
    let inviter = match &facts.inviter_email {
        Some(email) => crate::model::display_name(
            facts.inviter_first_name.as_deref().unwrap_or_default(),
            facts.inviter_last_name.as_deref().unwrap_or_default(),
            email,
        ),
        None => "Your administrator".to_string(),
    };
    let link = join_link(state, &facts.academy_slug, &facts.salt);
    let until = if facts.expires_at >= NEVER_EXPIRES {
        "The link does not expire.".to_string()
    } else {
        format!(
            "The link works until {} (UTC).",
            human_date(facts.expires_at)
        )
    };
    let greeting = if facts.first_name.is_empty() {
        "Hello".to_string()
    } else {
        format!("Hello {}", facts.first_name)
    };
    // A learner is invited to the academy; an administrator is told what they are invited to be.
    let as_role = match facts.role.parse::<Role>() {
        Ok(Role::Admin) => " as an Administrator",
        _ => "",
    };
    let (subject_prefix, reminder_line) = if reminder {
        (
            "Reminder: ",
            "A reminder: your invitation is still waiting, and its link expires soon. ",
        )
    } else {
        ("", "")
    };
    let subject = format!(
        "{subject_prefix}{inviter} invited you to {}{as_role}",
        facts.academy_name
    );
    let text = format!(
        "{greeting},\n\n{reminder_line}{inviter} invited you to join {academy}{as_role} on Shoal.\n\nOpen this link to choose your password and join:\n{link}\n\n{until} If it has expired, ask {inviter} for a new invitation.\n\nYour login will be this email address: {email}\n",
        academy = facts.academy_name,
        email = facts.email,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5\">\
         <p>{greeting},</p><p>{reminder_line}<strong>{inviter}</strong> invited you to join <strong>{academy}</strong>{as_role} on Shoal.</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#0b6e99;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600\">Join {academy}</a></p>\
         <p style=\"font-size:14px;color:#4a5a6d\">Or copy this link into your browser:<br>{link}</p>\
         <p style=\"font-size:14px;color:#4a5a6d\">{until} Your login will be {email}.</p></body></html>",
        greeting = escape_html(&greeting),
        inviter = escape_html(&inviter),
        academy = escape_html(&facts.academy_name),
        link = escape_html(&link),
        email = escape_html(&facts.email),
        until = escape_html(&until),
    );
    let to_name = crate::model::full_name(&facts.first_name, &facts.last_name);
    Ok(Some(RenderedInvite {
        invite_id: facts.invite_id,
        email: OutgoingEmail {
            to_email: facts.email,
            to_name,
            subject,
            text,
            html,
            message_id: message_id.to_string(),
            // "Acme via Shoal", and an answer reaches the person who invited.
            on_behalf_of: Some(facts.academy_name.clone()),
            reply_to: facts.inviter_email.clone(),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_people_write_them() {
        assert_eq!(human_date(1_796_083_200_000), "1 December 2026");
    }
}
