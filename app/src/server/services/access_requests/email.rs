//! The emails of access requests, rendered at send time from the outbox row: to each administrator
//! when someone asks (`access_request`); to the person when declined with "Send an email to let them
//! know" (`access_declined`); and to the owner of an address that needed no request — it has an
//! account (`access_known_account`), a working invitation (`access_known_invitation`), or was
//! declined less than a week ago (`access_declined_recently`). Approvals send the ordinary
//! invitation email.

use crate::domain::{AccessRequestId, InviteId, UserId};
use crate::{
    domain::{
        access_request::{RequestStatus, ask_again_from},
        account::AccountStatus,
    },
    error::AppError,
    server::{
        mail::message::OutgoingEmail,
        mail::message::escape_html,
        repo::{self, access_requests::RequestRow, outbox::OutboxRow},
        services::invite_email::human_date,
        state::AppState,
    },
};

pub const NOTIFY_KIND: &str = "access_request";
pub const DECLINED_KIND: &str = "access_declined";
pub const KNOWN_ACCOUNT_KIND: &str = "access_known_account";
pub const KNOWN_INVITATION_KIND: &str = "access_known_invitation";
pub const DECLINED_RECENTLY_KIND: &str = "access_declined_recently";
/// "You're in" of an account made from a request's password: no longer sent (requests carry no
/// password); rows queued before the upgrade are dropped.
const APPROVED_KIND: &str = "access_approved";

/// True for the outbox kinds this module renders.
pub fn renders(kind: &str) -> bool {
    matches!(
        kind,
        NOTIFY_KIND
            | DECLINED_KIND
            | KNOWN_ACCOUNT_KIND
            | KNOWN_INVITATION_KIND
            | DECLINED_RECENTLY_KIND
            | APPROVED_KIND
    )
}

const STYLE: &str = "font-family:system-ui,sans-serif;color:#0f1d2e;line-height:1.5";
const MUTED: &str = "font-size:14px;color:#4a5a6d";
const BUTTON: &str = "display:inline-block;background:#0b6e99;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600";

/// `None` when there is nothing to send any more: the request was answered (administrators' mail),
/// or its state changed since the email was queued.
pub async fn render(state: &AppState, row: &OutboxRow) -> Result<Option<OutgoingEmail>, AppError> {
    match row.kind.as_str() {
        APPROVED_KIND => return Ok(None),
        KNOWN_ACCOUNT_KIND | KNOWN_INVITATION_KIND => return render_known(state, row).await,
        _ => {}
    }
    let Some(r) = repo::access_requests::by_id(
        &state.db.pool,
        row.academy_id,
        AccessRequestId::new(row.ref_id),
    )
    .await?
    else {
        return Ok(None);
    };
    let Some(academy) = repo::academies::by_id(&state.db.pool, row.academy_id).await? else {
        return Ok(None);
    };
    let wanted = match row.kind.as_str() {
        NOTIFY_KIND => RequestStatus::Pending,
        _ => RequestStatus::Declined,
    };
    if r.status != wanted {
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
                .filter(|u| u.status == AccountStatus::Active);
            let Some(admin) = admin else {
                return Ok(None);
            };
            let link = state
                .settings
                .link(&format!("/a/{}/admin/learners?tab=requests", academy.slug));
            to_admin(&academy, &r, &admin.first_name, &admin.email, &link)
        }
        DECLINED_RECENTLY_KIND => {
            let mut email = declined(
                &academy,
                &r,
                &state.settings.link(&format!("/a/{}", academy.slug)),
            );
            email.to_email = row.to_email.clone();
            email.subject = format!("Your new request to join {}", academy.name);
            email
        }
        _ => {
            let link = state.settings.link(&format!("/a/{}", academy.slug));
            declined(&academy, &r, &link)
        }
    };
    Ok(Some(OutgoingEmail {
        message_id: row.message_id.clone(),
        on_behalf_of: None,
        reply_to: None,
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
    let password_note = "Approving sends them an invitation email to choose a password.";
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
        on_behalf_of: None,
        reply_to: None,
    }
}

/// To the owner of an address that asked for access while it has an account, or a working
/// invitation: what to do instead. The person who asked was told only "Request sent".
async fn render_known(
    state: &AppState,
    row: &OutboxRow,
) -> Result<Option<OutgoingEmail>, AppError> {
    let Some(academy) = repo::academies::by_id(&state.db.pool, row.academy_id).await? else {
        return Ok(None);
    };
    let academy = Academy {
        name: &academy.name,
        slug: &academy.slug,
    };
    let (first_name, lines, button) = if row.kind == KNOWN_ACCOUNT_KIND {
        let Some(user) =
            repo::users::by_id(&state.db.pool, row.academy_id, UserId::new(row.ref_id)).await?
        else {
            return Ok(None);
        };
        let sign_in = state.settings.link(&format!("/a/{}/login", academy.slug));
        let forgot = state.settings.link(&format!("/a/{}/forgot", academy.slug));
        (
            user.first_name,
            vec![
                "Someone tried to sign up or ask for access with this address, but you have an account already: there is nothing more to do.".to_string(),
                format!("Forgot your password? Choose a new one here: {forgot}"),
            ],
            (format!("Sign in to {}", academy.name), sign_in),
        )
    } else {
        let Some(invite) =
            repo::invites::by_id(&state.db.pool, row.academy_id, InviteId::new(row.ref_id)).await?
        else {
            return Ok(None);
        };
        let link = state.settings.link(&format!("/a/{}", academy.slug));
        (
            invite.first_name,
            vec![
                "Someone asked for access with this address, but you are invited already: there is nothing to request.".to_string(),
                "Open the link in your invitation email to join, or sign up at the academy link with this address.".to_string(),
            ],
            (format!("Go to {}", academy.name), link),
        )
    };
    let subject = if row.kind == KNOWN_ACCOUNT_KIND {
        format!("You already have an account at {}", academy.name)
    } else {
        format!("About your request to join {}", academy.name)
    };
    let text = format!(
        "{greeting},\n\n{lines}\n\n{label}: {link}\n\nIf you did not ask, you can ignore this email.\n",
        greeting = greeting(&first_name),
        lines = lines.join("\n\n"),
        label = button.0,
        link = button.1,
    );
    let body = format!(
        "<p>{greeting},</p>{paragraphs}<p><a href=\"{link}\" style=\"{BUTTON}\">{label}</a></p>\
         <p style=\"{MUTED}\">If you did not ask, you can ignore this email.</p>",
        greeting = escape_html(&greeting(&first_name)),
        paragraphs = lines
            .iter()
            .map(|l| format!("<p>{}</p>", escape_html(l)))
            .collect::<String>(),
        link = escape_html(&button.1),
        label = escape_html(&button.0),
    );
    Ok(Some(OutgoingEmail {
        to_email: row.to_email.clone(),
        to_name: String::new(),
        subject,
        text,
        html: html(body),
        message_id: row.message_id.clone(),
        on_behalf_of: None,
        reply_to: None,
    }))
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
        on_behalf_of: None,
        reply_to: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AcademyId;

    fn request(message: &str, reason: Option<&str>) -> RequestRow {
        RequestRow {
            id: AccessRequestId::new(7),
            academy_id: AcademyId::new(1),
            email: "jane@example.com".into(),
            first_name: "Jane".into(),
            last_name: "<Doe>".into(),
            message: message.into(),
            status: RequestStatus::Pending,
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
