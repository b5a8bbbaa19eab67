//! The email Shoal sends, and how it becomes an RFC 5322 message. Every value that reaches a header goes
//! through [`header_safe`] first: no CR, LF or other control character can start a header of its own.

use lettre::{
    Address, Message,
    message::{Mailbox, MultiPart},
};

/// One email, ready to be sent. Built by the code that queues it (e.g. invites); stored in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Without angle brackets, e.g. `invite-42-7@shoal.example`. Stable across retries, so a receiver can
    /// recognise a message delivered twice.
    pub message_id: String,
    /// Sent for an academy: the sender shows as "Acme via Shoal" (the configured sender's name after
    /// "via"); the address stays the configured one, so SPF and DKIM still hold.
    pub on_behalf_of: Option<String>,
    /// Where answers go (the person who invited), when it is someone else than the sender.
    pub reply_to: Option<String>,
}

/// Text made safe for HTML element content and quoted attribute values (the HTML bodies of every
/// email Shoal sends, the dev mailbox page).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value made safe for a header: control characters (CR, LF, TAB, NUL, …) and Unicode line/paragraph
/// separators become spaces, bidirectional overrides are dropped, runs of whitespace collapse to one space,
/// and the ends are trimmed.
pub fn header_safe(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_space = false;
    for c in value.chars() {
        if is_bidi_control(c) {
            continue;
        }
        if c.is_control() || c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Characters that reorder the text shown around them (used to disguise subjects and names).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Parses `SHOAL_SMTP_FROM` (`Name <address>` or a bare address).
pub fn parse_from(raw: &str) -> Result<Mailbox, String> {
    let raw = raw.trim();
    let mailbox: Mailbox = raw.parse().map_err(|_| {
        format!(
            "SHOAL_SMTP_FROM must be an address like \"Shoal <no-reply@academy.example.com>\" or no-reply@academy.example.com, not {raw:?}"
        )
    })?;
    let name = mailbox
        .name
        .as_deref()
        .map(header_safe)
        .filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, mailbox.email))
}

/// A message id is `left@right` made of printable ASCII without spaces, brackets or quotes.
fn check_message_id(id: &str) -> Result<(), String> {
    let valid = !id.is_empty()
        && id.len() <= 250
        && id.matches('@').count() == 1
        && !id.starts_with('@')
        && !id.ends_with('@')
        && id.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '<' | '>' | '"' | '\\' | '(' | ')' | ',' | ';' | ':' | '[' | ']'
                )
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "the message id {id:?} is not of the form left@right without brackets or spaces"
        ))
    }
}

/// The address with its domain in the ASCII form SMTP carries: Shoal stores `same@bücher.de`
/// (`domain::email`), the envelope says `same@xn--bcher-kva.de`.
fn ascii_domain(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) if !domain.is_ascii() => match url::Host::parse(domain) {
            Ok(url::Host::Domain(ascii)) => format!("{local}@{ascii}"),
            _ => address.to_owned(),
        },
        _ => address.to_owned(),
    }
}

/// Who `email` comes from: the configured sender (`from`), named "Acme via Shoal" when it is sent
/// for an academy.
pub fn sender(from: &Mailbox, email: &OutgoingEmail) -> Mailbox {
    let configured = from
        .name
        .as_deref()
        .map(header_safe)
        .filter(|n| !n.is_empty());
    let name = match email.on_behalf_of.as_deref().map(header_safe) {
        Some(academy) if !academy.is_empty() => Some(format!(
            "{academy} via {}",
            configured.as_deref().unwrap_or("Shoal")
        )),
        _ => configured,
    };
    Mailbox::new(name, from.email.clone())
}

/// Builds the multipart/alternative (text, then HTML) message with `Message-ID: <message_id>`.
pub fn build_message(from: &Mailbox, email: &OutgoingEmail) -> Result<Message, String> {
    let to_email = email.to_email.trim();
    let address: Address = ascii_domain(to_email)
        .parse()
        .map_err(|_| format!("the recipient address {to_email:?} is not a valid email address"))?;
    let to_name = header_safe(&email.to_name);
    let to = Mailbox::new((!to_name.is_empty()).then_some(to_name), address);
    check_message_id(&email.message_id)?;
    let mut builder = Message::builder().from(sender(from, email)).to(to);
    // A reply-to that is not an address is left out rather than failing the message.
    if let Some(Ok(address)) = email
        .reply_to
        .as_deref()
        .map(|r| ascii_domain(r.trim()).parse::<Address>())
    {
        builder = builder.reply_to(Mailbox::new(None, address));
    }
    builder
        .subject(header_safe(&email.subject))
        .message_id(Some(format!("<{}>", email.message_id)))
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| format!("the message could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_keeps_no_markup_of_its_own() {
        assert_eq!(
            escape_html(r#"<b>Ann & "O'Brien"</b>"#),
            "&lt;b&gt;Ann &amp; &quot;O&#39;Brien&quot;&lt;/b&gt;"
        );
    }

    fn email(name: &str, subject: &str) -> OutgoingEmail {
        OutgoingEmail {
            to_email: "eve@example.com".into(),
            to_name: name.into(),
            subject: subject.into(),
            text: "Hello\nhttps://shoal.example/invite/abc".into(),
            html: "<p>Hello</p>".into(),
            message_id: "invite-42-7@shoal.example".into(),
            on_behalf_of: None,
            reply_to: None,
        }
    }

    fn from() -> Mailbox {
        parse_from("Shoal <no-reply@localhost>").unwrap()
    }

    /// The header block of a formatted message, with folded lines joined to the header they continue.
    fn header_names(bytes: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        let head = text.split("\r\n\r\n").next().unwrap();
        head.split("\r\n")
            .filter(|line| !line.starts_with([' ', '\t']))
            .map(|line| line.split(':').next().unwrap().to_ascii_lowercase())
            .collect()
    }

    #[test]
    fn header_safe_removes_line_breaks_and_controls_and_collapses_whitespace() {
        assert_eq!(header_safe("Eve\r\nBcc: x@evil"), "Eve Bcc: x@evil");
        assert_eq!(header_safe("  a\t\tb\u{0}c\u{2028}d  "), "a b c d");
        assert_eq!(header_safe("\u{202E}evil"), "evil");
        assert_eq!(header_safe("Zoë Ångström"), "Zoë Ångström");
        assert_eq!(header_safe("\r\n"), "");
    }

    #[test]
    fn a_line_break_in_the_name_or_subject_cannot_add_a_header() {
        let message = build_message(
            &from(),
            &email("Eve\r\nBcc: x@evil", "Welcome\r\nBcc: y@evil\nX-Evil: 1"),
        )
        .unwrap();
        let bytes = message.formatted();
        let names = header_names(&bytes);
        assert!(
            !names.iter().any(|n| n == "bcc" || n == "x-evil"),
            "{names:?}"
        );
        assert_eq!(names.iter().filter(|n| *n == "to").count(), 1);
        assert_eq!(message.envelope().to().len(), 1);
        assert_eq!(message.envelope().to()[0].to_string(), "eve@example.com");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("\r\nBcc:") && !text.contains("\nBcc:"),
            "{text}"
        );
    }

    #[test]
    fn an_internationalised_domain_is_sent_in_its_ascii_form() {
        let mut to_bucher = email("Eve", "Welcome");
        to_bucher.to_email = "same@bücher.de".into();
        let message = build_message(&from(), &to_bucher).unwrap();
        assert_eq!(
            message.envelope().to()[0].to_string(),
            "same@xn--bcher-kva.de"
        );
    }

    #[test]
    fn the_message_has_its_id_in_brackets_and_both_parts() {
        let bytes = build_message(&from(), &email("Eve", "Welcome"))
            .unwrap()
            .formatted();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("Message-ID: <invite-42-7@shoal.example>\r\n"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain"));
        assert!(text.contains("text/html"));
        assert!(text.contains("Subject: Welcome\r\n"));
        assert!(
            text.contains("From: Shoal <no-reply@localhost>\r\n"),
            "{text}"
        );
    }

    #[test]
    fn a_message_id_with_brackets_or_line_breaks_is_refused() {
        for bad in ["<a@b>", "a@b\r\nBcc: x@evil", "nobody", "a b@c", "@b"] {
            let mut e = email("Eve", "Hi");
            e.message_id = bad.into();
            assert!(build_message(&from(), &e).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_recipient_address_with_a_line_break_is_refused() {
        let mut e = email("Eve", "Hi");
        e.to_email = "eve@example.com\r\nBcc: x@evil".into();
        assert!(build_message(&from(), &e).is_err());
    }

    #[test]
    fn an_academys_email_is_from_the_academy_via_the_sender_and_answers_go_to_the_inviter() {
        let mut e = email("Eve", "Welcome");
        e.on_behalf_of = Some("Acme Onboarding".into());
        e.reply_to = Some("ada@bücher.de".into());
        let bytes = build_message(&from(), &e).unwrap().formatted();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("From: \"Acme Onboarding via Shoal\" <no-reply@localhost>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Reply-To: ada@xn--bcher-kva.de\r\n"),
            "{text}"
        );
        // An academy name cannot add a header.
        e.on_behalf_of = Some("Acme\r\nBcc: x@evil.example".into());
        let bytes = build_message(&from(), &e).unwrap().formatted();
        assert!(!String::from_utf8_lossy(&bytes).contains("\r\nBcc:"));
        // Not an address: left out, the message still goes.
        e.reply_to = Some("not an address".into());
        let bytes = build_message(&from(), &e).unwrap().formatted();
        assert!(!String::from_utf8_lossy(&bytes).contains("Reply-To"));
    }

    #[test]
    fn smtp_from_is_parsed_or_refused_naming_the_variable() {
        assert_eq!(
            parse_from("no-reply@academy.example.com")
                .unwrap()
                .to_string(),
            "no-reply@academy.example.com"
        );
        let e = parse_from("Shoal no-reply").unwrap_err();
        assert!(e.contains("SHOAL_SMTP_FROM"), "{e}");
    }
}
