//! The invitation email, rendered at send time from the outbox row (the link is derived from the
//! server secret then, so the database never holds a working link).

use crate::domain::{InviteId, InviteTokenId};
use crate::{
    domain::{
        invite::{InviteState, NEVER_EXPIRES},
        invite_message::PersonalMessage,
        role::Role,
    },
    error::AppError,
    model::EmailPreview,
    server::{
        auth::SessionUser,
        db::now_ms,
        mail::{
            self,
            message::{OutgoingEmail, escape_html},
        },
        repo::{self, invites::InviteEmailFacts},
        services::invites::{self, join_link},
        state::AppState,
    },
};

pub struct RenderedInvite {
    /// The invitation whose "Email Status" follows the sending; `None` for other emails.
    pub invite_id: Option<InviteId>,
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

/// `None` when there is nothing to send any more (the invitation was accepted or revoked meanwhile).
/// A `reminder` says so in its subject and first line.
pub async fn render(
    state: &AppState,
    token_id: InviteTokenId,
    message_id: &str,
    reminder: bool,
) -> Result<Option<RenderedInvite>, AppError> {
    let Some(facts) = repo::invites::email_facts(&state.db.pool, token_id).await? else {
        return Ok(None);
    };
    if facts.status != InviteState::Pending {
        return Ok(None);
    }
    let link = join_link(state, &facts.academy_slug, &facts.salt);
    Ok(Some(RenderedInvite {
        invite_id: Some(facts.invite_id),
        email: compose(&facts, &link, message_id, reminder),
    }))
}

/// What Settings → Invitations shows for `typed` (unsaved words; `None`: the academy's default):
/// the email a learner invited by `actor` today would get, to "Alex Example", with a link that
/// opens nothing.
pub async fn preview(
    state: &AppState,
    actor: &SessionUser,
    typed: Option<&str>,
) -> Result<EmailPreview, AppError> {
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let message = invites::message_of(&academy, typed)?;
    let facts = InviteEmailFacts {
        // A preview: no invitation exists, and the email names none.
        invite_id: InviteId::new(0),
        salt: String::new(),
        expires_at: academy.lifecycle().expires_at(now_ms()),
        email: "alex@example.com".into(),
        first_name: "Alex".into(),
        last_name: "Example".into(),
        role: Role::Learner,
        status: InviteState::Pending,
        academy_slug: academy.slug.clone(),
        academy_name: academy.name.clone(),
        inviter_first_name: Some(actor.user.first_name.clone()),
        inviter_last_name: Some(actor.user.last_name.clone()),
        inviter_email: Some(actor.user.email.clone()),
        message: message.as_str().to_string(),
    };
    let link = state
        .settings
        .link(&format!("/a/{}/join/PREVIEW-ONLY", academy.slug));
    let email = compose(&facts, &link, "preview@example.com", false);
    let from = mail::message::parse_from(&state.settings.smtp_from)
        .map(|from| mail::message::sender(&from, &email).to_string())
        .map_err(AppError::internal)?;
    Ok(EmailPreview {
        from,
        reply_to: email.reply_to.clone(),
        to: format!("{} <{}>", email.to_name, email.to_email),
        subject: email.subject,
        text: email.text,
        html: email.html,
    })
}

/// The invitation email of `facts`, with its working `link`.
fn compose(
    facts: &InviteEmailFacts,
    link: &str,
    message_id: &str,
    reminder: bool,
) -> OutgoingEmail {
    let inviter = match &facts.inviter_email {
        Some(email) => crate::model::display_name(
            facts.inviter_first_name.as_deref().unwrap_or_default(),
            facts.inviter_last_name.as_deref().unwrap_or_default(),
            email,
        ),
        None => "Your administrator".to_string(),
    };
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
    let as_role = match facts.role {
        Role::Admin => " as an Administrator",
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
    // The inviter's own words, quoted under their name, above the link.
    let message = PersonalMessage::from_stored(facts.message.clone());
    let (message_text, message_html) = if message.is_empty() {
        (String::new(), String::new())
    } else {
        let quoted: Vec<String> = message.lines().map(|l| format!("> {l}")).collect();
        let lines: Vec<String> = message.lines().map(escape_html).collect();
        (
            format!("{inviter} wrote:\n{}\n\n", quoted.join("\n")),
            format!(
                "<p style=\"margin-bottom:4px\">{} wrote:</p>\
                 <blockquote data-personal-message style=\"margin:0 0 16px;padding:8px 14px;border-left:4px solid #0b6e99;background:#f2f7fa;white-space:pre-wrap\">{}</blockquote>",
                escape_html(&inviter),
                lines.join("<br>")
            ),
        )
    };
    let text = format!(
        "{greeting},\n\n{reminder_line}{inviter} invited you to join {academy}{as_role} on Shoal.\n\n{message_text}Open this link to choose your password and join:\n{link}\n\n{until} If it has expired, ask {inviter} for a new invitation.\n\nYour login will be this email address: {email}\n",
        academy = facts.academy_name,
        email = facts.email,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5\">\
         <p>{greeting},</p><p>{reminder_line}<strong>{inviter}</strong> invited you to join <strong>{academy}</strong>{as_role} on Shoal.</p>\
         {message_html}\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#0b6e99;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600\">Join {academy}</a></p>\
         <p style=\"font-size:14px;color:#4a5a6d\">Or copy this link into your browser:<br>{link}</p>\
         <p style=\"font-size:14px;color:#4a5a6d\">{until} Your login will be {email}.</p></body></html>",
        greeting = escape_html(&greeting),
        inviter = escape_html(&inviter),
        academy = escape_html(&facts.academy_name),
        link = escape_html(link),
        email = escape_html(&facts.email),
        until = escape_html(&until),
    );
    let to_name = crate::model::full_name(&facts.first_name, &facts.last_name);
    OutgoingEmail {
        to_email: facts.email.clone(),
        to_name,
        subject,
        text,
        html,
        message_id: message_id.to_string(),
        // "Acme via Shoal", and an answer reaches the person who invited.
        on_behalf_of: Some(facts.academy_name.clone()),
        reply_to: facts.inviter_email.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_people_write_them() {
        assert_eq!(human_date(1_796_083_200_000), "1 December 2026");
    }
}
