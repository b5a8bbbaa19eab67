//! Webhook events: the names a receiver subscribes to, shared by the Settings form and the server.

/// One kind of event a webhook may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The `event` field of the payload and the `Shoal-Event` header.
    pub name: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    /// False for an event Shoal does not emit yet: shown in Settings, not selectable.
    pub available: bool,
}

pub const INVITE_ACCEPTED: &str = "invite.accepted";
pub const LEARNER_REGISTERED: &str = "learner.registered";
pub const INVITE_EMAIL_FAILED: &str = "invite.email_failed";
pub const ACCESS_REQUEST_CREATED: &str = "access_request.created";
/// "Send test event": delivered to one webhook whatever it subscribes to.
pub const TEST: &str = "test";

/// Every event, in the order Settings lists them.
pub const EVENTS: [Event; 4] = [
    Event {
        name: INVITE_ACCEPTED,
        label: "Invitation accepted",
        description: "Someone registered through their invitation (the emailed link, or the academy link with the invited email).",
        available: true,
    },
    Event {
        name: LEARNER_REGISTERED,
        label: "Learner registered",
        description: "A new learner account exists, however it was made.",
        available: true,
    },
    Event {
        name: INVITE_EMAIL_FAILED,
        label: "Invitation email failed",
        description: "An invitation email could not be delivered and Shoal stopped retrying.",
        available: true,
    },
    Event {
        name: ACCESS_REQUEST_CREATED,
        label: "Access request",
        description: "Someone without an invitation asked to join the private academy (\"Request access\").",
        available: true,
    },
];

/// At most this many webhooks per academy.
pub const MAX_WEBHOOKS: i64 = 10;
/// The longest URL a webhook may have.
pub const MAX_URL_CHARS: usize = 2000;

/// The subscribable events among `names`, in the order of `EVENTS`, without repeats; or why not.
pub fn parse_events(names: &[String]) -> Result<Vec<&'static str>, String> {
    for name in names {
        match EVENTS.iter().find(|e| e.name == name.trim()) {
            Some(e) if e.available => {}
            Some(e) => return Err(format!("\"{}\" is not available yet.", e.name)),
            None => {
                return Err(format!(
                    "{} is not an event Shoal sends. Choose from: {}.",
                    super::quoted(name),
                    available_names().join(", ")
                ));
            }
        }
    }
    let chosen: Vec<&'static str> = EVENTS
        .iter()
        .filter(|e| e.available && names.iter().any(|n| n.trim() == e.name))
        .map(|e| e.name)
        .collect();
    if chosen.is_empty() {
        return Err("Choose at least one event to send to this URL.".into());
    }
    Ok(chosen)
}

fn available_names() -> Vec<&'static str> {
    EVENTS
        .iter()
        .filter(|e| e.available)
        .map(|e| e.name)
        .collect()
}

/// The label Settings shows for an event name (the name itself when unknown, e.g. `test`).
pub fn label(name: &str) -> &str {
    if name == TEST {
        return "Test event";
    }
    EVENTS
        .iter()
        .find(|e| e.name == name)
        .map_or(name, |e| e.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn events_are_kept_in_settings_order_without_repeats() {
        assert_eq!(
            parse_events(&names(&[
                "invite.email_failed",
                " invite.accepted ",
                "invite.accepted"
            ])),
            Ok(vec![INVITE_ACCEPTED, INVITE_EMAIL_FAILED])
        );
    }

    #[test]
    fn unknown_coming_and_missing_events_are_refused_in_words() {
        for (input, says) in [
            (vec![], "at least one"),
            (vec!["invite.sent"], "not an event Shoal sends"),
            (vec!["test"], "not an event Shoal sends"),
        ] {
            let e = parse_events(&names(&input)).unwrap_err();
            assert!(e.contains(says), "{input:?}: {e}");
        }
    }
}
