//! The emails of access requests, rendered at send time from the outbox row: to each administrator
//! when someone asks (`access_request`), and to the person when approved with their own password
//! (`access_approved`: "you're in") or declined with "Send an email to let them know"
//! (`access_declined`). Approvals without a password send the ordinary invitation email instead.

use crate::{
    domain::access_request::{RequestStatus, ask_again_from},
    error::AppError,
    server::{
        mail::message::OutgoingEmail,
        repo::{self, access_requests::RequestRow, outbox::OutboxRow},
        services::invite_email::{escape_html, human_date},
        state::AppState,
    },
};

pub const NOTIFY_KIND: &str = "access_request";
pub const APPROVED_KIND: &str = "access_approved";
pub const DECLINED_KIND: &str = "access_declined";

/// True for the outbox kinds this module renders.
pub fn renders(kind: &str) -> bool {
    matches!(kind, NOTIFY_KIND | APPROVED_KIND | DECLINED_KIND)
}

const STYLE: &str = "font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5";
const MUTED: &str = "font-size:14px;color:#4a5a6d";
const BUTTON: &str = "display:inline-block;background:#0b6e99;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600";

/// `None` when there is nothing to send any more: the request was answered (administrators' mail),
/// or its state changed since the email was queued.
pub async fn render(state: &AppState, row: &OutboxRow) -> Result<Option<OutgoingEmail>, AppError> {
    let Some(r) = repo::access_requests::by_id(&state.db.pool, row.academy_id, row.ref_id).await?
    else {
        return Ok(None);
    };
    let Some(academy) = repo::academies::by_id(&state.db.pool, row.academy_id).await? else {
        return Ok(None);
    };
    let wanted = match row.kind.as_str() {
        NOTIFY_KIND => RequestStatus::Pending,
        APPROVED_KIND => RequestStatus::Approved,
        _ => RequestStatus::Declined,
    };
    if r.status() != wanted {
        return Ok(None);
    }
    let academy = Academy {
        name: &academy.name,
        slug: &academy.slug,
    };
    let email = match row.kind.as_str() {
        NOTIFY_KIND => {
            let admin = repo::users::by_email(&state.db.pool, row.academy_id, &row.to_email)
                .await?
                .filter(|u| u.status == "active");
            let Some(admin) = admin else {
                return Ok(None);
            };
            let link = state
                .settings
                .link(&format!("/a/{}/admin/learners?tab=requests", academy.slug));
            to_admin(&academy, &r, &admin.first_name, &admin.email, &link)
        }
        APPROVED_KIND => {
            let link = state.settings.link(&format!("/a/{}/login", academy.slug));
            approved(&academy, &r, &link)
        }
        _ => {
            let link = state.settings.link(&format!("/a/{}", academy.slug));
            declined(&academy, &r, &link)
        }
    };
    Ok(Some(OutgoingEmail {
        message_id: row.message_id.clone(),
        ..email
    }))
}

struct Academy<'a> {
    name: &'a str,
    slug: &'a str,
}

fn greeting(first_name: &str) -> String {
    if first_name.is_empty() {
        "Hello".to_string()
    } else {
        format!("Hello {first_name}")
    }
}

fn person(r: &RequestRow) -> String {
    crate::model::full_name(&r.first_name, &r.last_name)
}

fn html(body: String) -> String {
    format!("<!doctype html><html><body style=\"{STYLE}\">{body}</body></html>")
}

/// "Jane Doe asks to join Acme" — to one Owner or Administrator.
fn to_admin(
    academy: &Academy<'_>,
    r: &RequestRow,
    admin_first_name: &str,
    admin_email: &str,
    link: &str,
) -> OutgoingEmail {
    let who = person(r);
    let subject = format!("{who} asks to join {}", academy.name);
    let message_text = if r.message.is_empty() {
        "They wrote no message.".to_string()
    } else {
        format!("Their message:\n\n{}", r.message)
    };
    let password_note = if r.has_password != 0 {
        "They set a password with the request: approving creates their account at once."
    } else {
        "Approving sends them an invitation email to choose a password."
    };
    let text = format!(
        "{greeting},\n\n{who} <{email}> asked for access to {academy} on Shoal.\n\n{message_text}\n\n{password_note}\n\nApprove or decline the request under Learners & Teams → Access Requests:\n{link}\n\nYou get this email because \"Email administrators when someone requests access\" is on in the academy's settings.\n",
        greeting = greeting(admin_first_name),
        email = r.email,
        academy = academy.name,
    );
    let message_html = if r.message.is_empty() {
        "<p style=\"color:#4a5a6d\">They wrote no message.</p>".to_string()
    } else {
        format!(
            "<blockquote style=\"margin:0;padding:8px 14px;border-left:4px solid #c9d6e3;white-space:pre-wrap\">{}</blockquote>",
            escape_html(&r.message)
        )
    };
    let body = format!(
        "<p>{greeting},</p><p><strong>{who}</strong> &lt;{email}&gt; asked for access to <strong>{academy}</strong> on Shoal.</p>\
         {message_html}<p>{password_note}</p>\
         <p><a href=\"{link}\" style=\"{BUTTON}\">Open Access Requests</a></p>\
         <p style=\"{MUTED}\">You get this email because “Email administrators when someone requests access” is on in the academy's settings.</p>",
        greeting = escape_html(&greeting(admin_first_name)),
        who = escape_html(&who),
        email = escape_html(&r.email),
        academy = escape_html(academy.name),
        link = escape_html(link),
    );
    OutgoingEmail {
        to_email: admin_email.to_string(),
        to_name: String::new(),
        subject,
        text,
        html: html(body),
        message_id: String::new(),
    }
}

/// "You're in": the account was made from the request's password.
fn approved(academy: &Academy<'_>, r: &RequestRow, link: &str) -> OutgoingEmail {
    let subject = format!("You're in: your access to {} was approved", academy.name);
    let text = format!(
        "{greeting},\n\nAn administrator approved your request: you are a learner of {academy} on Shoal now.\n\nSign in with {email} and the password you chose when you asked:\n{link}\n",
        greeting = greeting(&r.first_name),
        academy = academy.name,
        email = r.email,
    );
    let body = format!(
        "<p>{greeting},</p><p>An administrator approved your request: you are a learner of <strong>{academy}</strong> on Shoal now.</p>\
         <p><a href=\"{link}\" style=\"{BUTTON}\">Sign in to {academy}</a></p>\
         <p style=\"{MUTED}\">Sign in with {email} and the password you chose when you asked. Or copy this link into your browser:<br>{link}</p>",
        greeting = escape_html(&greeting(&r.first_name)),
        academy = escape_html(academy.name),
        email = escape_html(&r.email),
        link = escape_html(link),
    );
    OutgoingEmail {
        to_email: r.email.clone(),
        to_name: person(r),
        subject,
        text,
        html: html(body),
        message_id: String::new(),
    }
}

/// The decline, with the administrator's reason when they gave one.
fn declined(academy: &Academy<'_>, r: &RequestRow, link: &str) -> OutgoingEmail {
    let subject = format!("Your request to join {}", academy.name);
    let reason = r.decline_reason.as_deref().filter(|s| !s.is_empty());
    let again = r
        .decided_at
        .and_then(|at| ask_again_from(at, at))
        .map(human_date)
        .unwrap_or_default();
    let reason_text = reason
        .map(|why| format!("\n\nThe reason they gave:\n\n{why}"))
        .unwrap_or_default();
    let text = format!(
        "{greeting},\n\nAn administrator of {academy} declined your request for access.{reason_text}\n\nIf you think this is a mistake, talk to the person who told you about the academy. You can ask again from {again} at {link}\n",
        greeting = greeting(&r.first_name),
        academy = academy.name,
    );
    let reason_html = reason
        .map(|why| {
            format!(
                "<p>The reason they gave:</p><blockquote style=\"margin:0;padding:8px 14px;border-left:4px solid #c9d6e3;white-space:pre-wrap\">{}</blockquote>",
                escape_html(why)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<p>{greeting},</p><p>An administrator of <strong>{academy}</strong> declined your request for access.</p>{reason_html}\
         <p style=\"{MUTED}\">If you think this is a mistake, talk to the person who told you about the academy. You can ask again from {again}.</p>",
        greeting = escape_html(&greeting(&r.first_name)),
        academy = escape_html(academy.name),
        again = escape_html(&again),
    );
    OutgoingEmail {
        to_email: r.email.clone(),
        to_name: person(r),
        subject,
        text,
        html: html(body),
        message_id: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(message: &str, reason: Option<&str>) -> RequestRow {
        RequestRow {
            id: 7,
            academy_id: 1,
            email: "jane@example.com".into(),
            first_name: "Jane".into(),
            last_name: "<Doe>".into(),
            message: message.into(),
            has_password: 0,
            status: "pending".into(),
            created_at: 0,
            updated_at: 0,
            decided_at: Some(1_796_083_200_000),
            decline_reason: reason.map(str::to_string),
            decider_first: None,
            decider_last: None,
            decider_email: None,
        }
    }

    const ACME: Academy<'static> = Academy {
        name: "Acme & Co",
        slug: "acme",
    };

    #[test]
    fn the_administrators_email_quotes_the_message_and_escapes_html() {
        let e = to_admin(
            &ACME,
            &request("<script>alert(1)</script>", None),
            "Ada",
            "ada@example.com",
            "https://shoal.example/a/acme/admin/learners?tab=requests",
        );
        assert_eq!(e.subject, "Jane <Doe> asks to join Acme & Co");
        assert!(
            e.text.contains("<script>alert(1)</script>"),
            "plain text keeps it"
        );
        assert!(!e.html.contains("<script>"), "{}", e.html);
        assert!(e.html.contains("&lt;script&gt;"));
        assert!(e.html.contains("Jane &lt;Doe&gt;"));
        assert!(e.html.contains("Acme &amp; Co"));
        assert!(e.text.contains("?tab=requests"));
    }

    #[test]
    fn the_decline_says_why_when_a_reason_was_given_and_when_to_ask_again() {
        let with = declined(
            &ACME,
            &request("", Some("We only take staff.")),
            "https://shoal.example/a/acme",
        );
        assert!(with.text.contains("We only take staff."), "{}", with.text);
        assert!(with.text.contains("8 December 2026"), "{}", with.text);
        let without = declined(&ACME, &request("", None), "https://shoal.example/a/acme");
        assert!(!without.text.contains("reason"), "{}", without.text);
    }
}
