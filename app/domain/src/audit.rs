//! The audit log in words: which actions belong together (the page's "Action" filter), the sentence
//! each action reads as ("invited 3 learners from a CSV file"), and the date range of the filters.
//! Unknown actions (added later, or by a newer server) fall back to their raw name.

use serde::{Deserialize, Serialize};

use super::{DAY_MS, role::Role};

/// Most rows one CSV export holds; the newest ones are kept when a filter matches more.
pub const MAX_EXPORT_ROWS: usize = 50_000;

/// A family of actions the log can be filtered by, matched by action-name prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionGroup {
    /// The value in the page's URL (`?action=invites`).
    pub key: &'static str,
    pub label: &'static str,
    /// Actions whose name starts with one of these belong to the group.
    pub prefixes: &'static [&'static str],
}

/// The groups, in the order the filter lists them.
pub const ACTION_GROUPS: [ActionGroup; 9] = [
    ActionGroup {
        key: "invites",
        label: "Invitations",
        prefixes: &["invite."],
    },
    ActionGroup {
        key: "learners",
        label: "Learners",
        prefixes: &["learner."],
    },
    ActionGroup {
        key: "teams",
        label: "Teams",
        prefixes: &["team."],
    },
    ActionGroup {
        key: "admins",
        label: "Administrators",
        prefixes: &["admin."],
    },
    ActionGroup {
        key: "courses",
        label: "Courses",
        prefixes: &["course."],
    },
    ActionGroup {
        key: "access",
        label: "Access requests",
        prefixes: &["access_request."],
    },
    ActionGroup {
        key: "sessions",
        label: "Sign-ins and passwords",
        prefixes: &["session.", "password."],
    },
    ActionGroup {
        key: "settings",
        label: "Academy settings",
        prefixes: &["academy."],
    },
    ActionGroup {
        key: "integrations",
        label: "API and webhooks",
        prefixes: &["api_client.", "api.", "webhook."],
    },
];

impl ActionGroup {
    /// The group with this URL key; `None` for "" (all actions) and for unknown keys.
    pub fn by_key(key: &str) -> Option<ActionGroup> {
        ACTION_GROUPS.iter().copied().find(|g| g.key == key)
    }

    pub fn contains(&self, action: &str) -> bool {
        self.prefixes.iter().any(|p| action.starts_with(p))
    }
}

/// The number an import's detail starts with ("3 invited, 0 renewed, …").
fn leading_count(detail: &str) -> Option<u64> {
    detail.split_whitespace().next()?.parse().ok()
}

/// What happened, as the rest of a sentence whose subject is the actor: "invited a learner".
pub fn sentence(action: &str, detail: &str) -> String {
    let s = match action {
        "academy.created" => "created the academy",
        "academy.plan_changed" => "changed the plan",
        "academy.signup_confirmation_changed" => "changed the sign-up confirmation setting",
        "academy.visibility_changed" => "changed who can join the academy",
        "academy.invite_lifecycle_changed" => "changed how long invitation links work",
        "academy.invite_message_changed" => "changed the invitation's default personal message",
        "academy.access_request_emails_changed" => "changed the access request emails setting",
        "access_request.created" => "received an access request",
        "access_request.updated" => "received an updated access request",
        "access_request.approved" => "approved an access request",
        "access_request.declined" => "declined an access request",
        "course.created" => "created a course",
        "course.updated" => "edited a course",
        "course.assigned" => "assigned a course",
        "course.published" => "published a course",
        "course.unpublished" => "unpublished a course",
        "course.deleted" => "deleted a course",
        "invite.created" => "invited a learner",
        "invite.renewed" => "renewed a learner's invitation",
        "invite.resent" => "resent an invitation",
        "invite.revoked" => "revoked an invitation",
        "invite.accepted" => "accepted an invitation and joined",
        "invite.imported" | "invite.api" => {
            let how = if action == "invite.api" {
                "through the API"
            } else {
                "from a CSV file"
            };
            return match leading_count(detail) {
                Some(n) => format!(
                    "invited {} {how}",
                    crate::format::count(n as i64, "learner", "learners")
                ),
                None => format!("invited learners {how}"),
            };
        }
        bulk if BULK_ACTIONS.contains(&bulk) => {
            return bulk_sentence(action, leading_count(detail));
        }
        "learner.signed_up" => "signed up at the academy link",
        "learner.role_changed" => "changed the role of a learner",
        "learner.removed" => "removed a learner from the academy",
        "learner.deactivated" => "revoked a learner's access",
        "learner.reactivated" => "gave a learner their access back",
        "learner.updated" => "corrected a learner's name or email",
        "learner.added_to_teams" => "added a learner to teams",
        "team.created" => "created a team",
        "team.renamed" => "renamed a team",
        "team.recolored" => "changed a team's colour",
        "team.deleted" => "deleted a team",
        "team.member_added" => "added a learner to a team",
        "team.member_removed" => "removed a learner from a team",
        "admin.invited" => "invited an administrator",
        "admin.invite_renewed" => "renewed an administrator's invitation",
        "admin.invite_resent" => "resent an administrator's invitation",
        "admin.invite_revoked" => "revoked an administrator's invitation",
        "admin.removed" => "removed an administrator",
        "session.signed_in" => "signed in",
        "session.signed_out" => "signed out",
        "session.signed_out_everywhere" => "signed out everywhere",
        "password.reset_requested" => "asked for a password reset link",
        "password.reset_sent" => "sent a password reset link",
        "password.reset" => "chose a new password through a reset link",
        "password.changed" => "changed their password",
        "api_client.registered" => "registered an API application",
        "api_client.renamed" => "renamed an API application",
        "api_client.revoked" => "revoked an API application",
        "api.added_to_teams" => "added learners or invitations to teams through the API",
        "webhook.created" => "added a webhook",
        "webhook.deleted" => "deleted a webhook",
        other => other,
    };
    s.to_string()
}

/// The actions that change many people at once (one entry per call, the count first in the detail).
pub const BULK_ACTIONS: [&str; 9] = [
    "learner.bulk_deactivated",
    "learner.bulk_role_changed",
    "learner.bulk_removed",
    "team.bulk_members_added",
    "learner.bulk_reactivated",
    "team.bulk_members_removed",
    "invite.bulk_resent",
    "invite.bulk_revoked",
    "team.bulk_invites_removed",
];

fn bulk_sentence(action: &str, n: Option<u64>) -> String {
    let people = |one: &str, many: &str| match n {
        Some(n) => crate::format::count(n as i64, one, many),
        None => many.to_string(),
    };
    match action {
        "learner.bulk_deactivated" => {
            format!("revoked the access of {}", people("learner", "learners"))
        }
        "learner.bulk_reactivated" => {
            format!("gave {} their access back", people("learner", "learners"))
        }
        "team.bulk_members_removed" => {
            format!("removed {} from teams", people("learner", "learners"))
        }
        "team.bulk_members_added" => format!("added {} to a team", people("learner", "learners")),
        "learner.bulk_role_changed" => {
            format!("changed the role of {}", people("learner", "learners"))
        }
        "learner.bulk_removed" => {
            format!("removed {} from the academy", people("learner", "learners"))
        }
        "invite.bulk_resent" => format!("resent {}", people("invitation", "invitations")),
        "invite.bulk_revoked" => format!("revoked {}", people("invitation", "invitations")),
        _ => format!("took {} out of teams", people("invitation", "invitations")),
    }
}

/// The detail as people read it: role and plan names as the UI writes them
/// ("learner → learner_analyst" reads "Learner → Learner-Analyst").
pub fn detail_text(action: &str, detail: &str) -> String {
    let label = |word: &str| -> String {
        if let Ok(role) = word.parse::<Role>() {
            return role.label().to_string();
        }
        match super::role::Plan::parse(word) {
            Ok(plan) => plan.label().to_string(),
            Err(_) => word.to_string(),
        }
    };
    match action {
        "learner.role_changed" | "academy.plan_changed" => match detail.split_once(" → ") {
            Some((from, to)) => format!("{} → {}", label(from), label(to)),
            None => detail.to_string(),
        },
        "learner.removed" | "admin.removed" => match detail.parse::<Role>() {
            Ok(role) => format!("was {}", role.label()),
            Err(_) => detail.to_string(),
        },
        bulk if BULK_ACTIONS.contains(&bulk) => {
            let (counts, to) = match detail.split_once(" → ") {
                Some((counts, to)) => (counts, Some(label(to))),
                None => (detail, None),
            };
            let counts = counts
                .split(' ')
                .map(|word| match word.parse::<i64>() {
                    Ok(n) => super::statistics::thousands(n),
                    Err(_) => word.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ");
            match to {
                Some(to) => format!("{counts} → {to}"),
                None => counts,
            }
        }
        _ => detail.to_string(),
    }
}

/// The API application that acted, for rows an API call wrote (they have no person as actor).
pub fn api_application<'a>(action: &str, target: &'a str) -> Option<&'a str> {
    match action {
        "invite.api" => Some(target.strip_prefix("API: ").unwrap_or(target)),
        "api.added_to_teams" => Some(target),
        bulk if BULK_ACTIONS.contains(&bulk) => target.strip_prefix("API: "),
        _ => None,
    }
}

/// The target column: empty where the target only names the API application (shown as "who").
pub fn target_text<'a>(action: &str, target: &'a str) -> &'a str {
    if api_application(action, target).is_some() {
        ""
    } else {
        target
    }
}

/// A `YYYY-MM-DD` date (what `<input type="date">` sends) as days since 1970-01-01.
pub fn parse_day(input: &str) -> Result<i64, String> {
    let input = input.trim();
    super::calendar::parse_ymd(input)
        .map(|(y, m, d)| super::calendar::days_from_civil(y, m, d))
        .ok_or_else(|| format!("{} is not a date; use YYYY-MM-DD", super::quoted(input)))
}

/// The time range `[from, until)` in unix milliseconds of the days `from` to `to`, both included, in
/// a time zone `utc_offset_min` minutes ahead of UTC. Empty dates leave that side open. Errors
/// name the field (`from` or `to`) and say what is wrong.
#[allow(clippy::type_complexity)]
pub fn day_range(
    from: &str,
    to: &str,
    utc_offset_min: i32,
) -> Result<(Option<i64>, Option<i64>), (&'static str, String)> {
    let offset_ms = i64::from(sane_offset(utc_offset_min)) * 60_000;
    let start = |input: &str, field: &'static str| -> Result<Option<i64>, (&'static str, String)> {
        if input.trim().is_empty() {
            return Ok(None);
        }
        parse_day(input)
            .map(|days| Some(days * DAY_MS - offset_ms))
            .map_err(|m| (field, m))
    };
    let from_ms = start(from, "from")?;
    let until_ms = start(to, "to")?.map(|ms| ms + DAY_MS);
    if let (Some(a), Some(b)) = (from_ms, until_ms)
        && a >= b
    {
        return Err((
            "to",
            "The end date is before the start date; swap them or clear one.".into(),
        ));
    }
    Ok((from_ms, until_ms))
}

/// A time zone offset as sent by the browser: real ones lie within ±14 h; anything else comes from a
/// broken client and is read as UTC.
pub fn sane_offset(utc_offset_min: i32) -> i32 {
    if utc_offset_min.abs() <= 14 * 60 {
        utc_offset_min
    } else {
        0
    }
}

/// "UTC+02:00", "UTC−05:30", "UTC" — how the page and the export name the time zone.
pub fn zone_label(utc_offset_min: i32) -> String {
    if utc_offset_min == 0 {
        return "UTC".into();
    }
    let sign = if utc_offset_min > 0 { '+' } else { '−' };
    let m = utc_offset_min.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// One filter of the audit log, as the page's URL carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// An `ActionGroup` key, or "" for every action.
    #[serde(default)]
    pub action: String,
    /// "" for anyone, "system" for rows without a person (the system and API applications), or a
    /// user id.
    #[serde(default)]
    pub who: String,
    /// `YYYY-MM-DD`, inclusive; "" for open.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Matches the target and the detail, case-insensitively.
    #[serde(default)]
    pub search: String,
    /// From 1.
    #[serde(default)]
    pub page: u32,
    /// The viewer's time zone, minutes ahead of UTC: what the dates mean, and the export's times.
    #[serde(default)]
    pub utc_offset_min: i32,
}

/// Whose rows the filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anyone,
    /// Rows no person wrote: the system and API applications.
    System,
    User(i64),
}

impl AuditQuery {
    pub fn who(&self) -> Result<Who, String> {
        match self.who.trim() {
            "" => Ok(Who::Anyone),
            "system" => Ok(Who::System),
            id => id
                .parse::<i64>()
                .map(Who::User)
                .map_err(|_| format!("{} is not a person of this academy", super::quoted(id))),
        }
    }

    /// True when any filter is set (the page then says "nothing matches" instead of "nothing yet").
    pub fn is_filtered(&self) -> bool {
        !(self.action.is_empty()
            && self.who.is_empty()
            && self.from.is_empty()
            && self.to.is_empty()
            && self.search.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_action_reads_as_a_sentence() {
        let cases: &[(&str, &str, &str)] = &[
            ("invite.created", "", "invited a learner"),
            ("invite.accepted", "", "accepted an invitation and joined"),
            (
                "invite.imported",
                "3 invited, 0 renewed, 1 already learners, 0 skipped",
                "invited 3 learners from a CSV file",
            ),
            (
                "invite.imported",
                "1 invited, 2 renewed, 0 already learners, 0 skipped",
                "invited 1 learner from a CSV file",
            ),
            ("invite.imported", "", "invited learners from a CSV file"),
            (
                "invite.api",
                "2 invited, 0 renewed, 0 already learners, 1 skipped",
                "invited 2 learners through the API",
            ),
            (
                "learner.role_changed",
                "learner → learner_admin",
                "changed the role of a learner",
            ),
            ("team.recolored", "", "changed a team's colour"),
            ("admin.invited", "", "invited an administrator"),
            ("admin.removed", "admin", "removed an administrator"),
            ("session.signed_in", "", "signed in"),
            ("academy.plan_changed", "", "changed the plan"),
            ("webhook.created", "", "added a webhook"),
            ("something.new", "", "something.new"),
        ];
        for (action, detail, expected) in cases {
            assert_eq!(&sentence(action, detail), expected, "{action}");
        }
    }

    #[test]
    fn every_known_action_belongs_to_exactly_one_group() {
        let known = [
            "academy.created",
            "academy.plan_changed",
            "academy.signup_confirmation_changed",
            "academy.visibility_changed",
            "academy.invite_lifecycle_changed",
            "academy.invite_message_changed",
            "academy.access_request_emails_changed",
            "access_request.created",
            "access_request.updated",
            "access_request.approved",
            "access_request.declined",
            "course.created",
            "course.updated",
            "course.assigned",
            "course.published",
            "course.unpublished",
            "course.deleted",
            "invite.created",
            "invite.renewed",
            "invite.resent",
            "invite.revoked",
            "invite.accepted",
            "invite.imported",
            "invite.api",
            "learner.signed_up",
            "learner.role_changed",
            "learner.removed",
            "learner.deactivated",
            "learner.reactivated",
            "learner.updated",
            "learner.added_to_teams",
            "team.created",
            "team.renamed",
            "team.recolored",
            "team.deleted",
            "team.member_added",
            "team.member_removed",
            "admin.invited",
            "admin.invite_renewed",
            "admin.invite_resent",
            "admin.invite_revoked",
            "admin.removed",
            "session.signed_in",
            "session.signed_out",
            "session.signed_out_everywhere",
            "password.reset_requested",
            "password.reset_sent",
            "password.reset",
            "password.changed",
            "api_client.registered",
            "api_client.renamed",
            "api_client.revoked",
            "api.added_to_teams",
            "webhook.created",
            "webhook.deleted",
            "learner.bulk_deactivated",
            "learner.bulk_reactivated",
            "team.bulk_members_removed",
            "invite.bulk_resent",
            "invite.bulk_revoked",
            "team.bulk_invites_removed",
            "learner.bulk_role_changed",
            "learner.bulk_removed",
            "team.bulk_members_added",
        ];
        for action in known {
            let groups: Vec<&str> = ACTION_GROUPS
                .iter()
                .filter(|g| g.contains(action))
                .map(|g| g.key)
                .collect();
            assert_eq!(groups.len(), 1, "{action}: {groups:?}");
            assert_ne!(sentence(action, ""), action, "{action} has a sentence");
        }
        assert_eq!(
            ActionGroup::by_key("integrations").map(|g| g.label),
            Some("API and webhooks")
        );
        assert_eq!(ActionGroup::by_key(""), None);
        assert_eq!(ActionGroup::by_key("nope"), None);
    }

    #[test]
    fn bulk_actions_read_with_their_count() {
        assert_eq!(
            sentence("learner.bulk_deactivated", "12 learners of 15 asked"),
            "revoked the access of 12 learners"
        );
        assert_eq!(
            sentence("learner.bulk_reactivated", "1 learner of 1 asked"),
            "gave 1 learner their access back"
        );
        assert_eq!(
            sentence("invite.bulk_resent", "3 invitations of 3 asked"),
            "resent 3 invitations"
        );
        assert_eq!(sentence("invite.bulk_revoked", ""), "revoked invitations");
        assert_eq!(
            sentence("team.bulk_invites_removed", "2 invitations of 4 asked"),
            "took 2 invitations out of teams"
        );
        assert_eq!(
            sentence("team.bulk_members_removed", "5 learners of 5 asked"),
            "removed 5 learners from teams"
        );
    }

    #[test]
    fn details_use_the_words_of_the_ui() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "learner.role_changed",
                "learner → learner_analyst",
                "Learner → Learner-Analyst",
            ),
            (
                "academy.plan_changed",
                "starter → business",
                "Starter → Business",
            ),
            ("learner.removed", "learner_admin", "was Learner-Admin"),
            ("admin.removed", "admin", "was Administrator"),
            ("team.renamed", "Sales → Growth", "Sales → Growth"),
            ("team.member_added", "Sales", "Sales"),
            (
                "learner.bulk_deactivated",
                "10000 learners of 12000 asked",
                "10,000 learners of 12,000 asked",
            ),
            (
                "learner.bulk_role_changed",
                "3 learners of 3 asked → learner_analyst",
                "3 learners of 3 asked → Learner-Analyst",
            ),
            (
                "learner.bulk_deactivated",
                "1 learner of 1 asked",
                "1 learner of 1 asked",
            ),
        ];
        for (action, detail, expected) in cases {
            assert_eq!(&detail_text(action, detail), expected, "{action}");
        }
    }

    #[test]
    fn api_rows_name_the_application_as_who() {
        assert_eq!(
            api_application("invite.api", "API: HR system"),
            Some("HR system")
        );
        assert_eq!(
            api_application("api.added_to_teams", "Payroll"),
            Some("Payroll")
        );
        assert_eq!(
            api_application("invite.bulk_revoked", "API: HR system"),
            Some("HR system")
        );
        // A person's bulk action has no application, whatever the target says.
        assert_eq!(api_application("invite.bulk_revoked", ""), None);
        assert_eq!(api_application("team.renamed", "API: Sales"), None);
        assert_eq!(api_application("invite.created", "a@b.c"), None);
        assert_eq!(target_text("invite.api", "API: HR system"), "");
        assert_eq!(target_text("invite.created", "a@b.c"), "a@b.c");
    }

    #[test]
    fn parses_dates_as_the_date_input_sends_them() {
        assert_eq!(parse_day("1970-01-01"), Ok(0));
        assert_eq!(parse_day("2000-03-01"), Ok(11_017));
        assert_eq!(parse_day(" 2026-12-01 "), Ok(20_788));
        assert_eq!(parse_day("2024-02-29"), Ok(19_782));
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-04-01",
            "2026-4-1",
            "yesterday",
            "",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_day("2026/04/01"),
            Err("\"2026/04/01\" is not a date; use YYYY-MM-DD".into())
        );
    }

    #[test]
    fn date_ranges_include_both_days_in_the_viewers_time_zone() {
        let day = 20_788 * DAY_MS; // 2026-12-01 00:00 UTC
        assert_eq!(
            day_range("2026-12-01", "2026-12-01", 0),
            Ok((Some(day), Some(day + DAY_MS)))
        );
        // Two hours ahead of UTC: the local day starts at 22:00 UTC the day before.
        assert_eq!(
            day_range("2026-12-01", "2026-12-02", 120),
            Ok((Some(day - 7_200_000), Some(day + 2 * DAY_MS - 7_200_000)))
        );
        assert_eq!(day_range("", "", -300), Ok((None, None)));
        assert_eq!(
            day_range("", "2026-12-01", 0),
            Ok((None, Some(day + DAY_MS)))
        );
        assert_eq!(
            day_range("2026-12-02", "2026-12-01", 0).unwrap_err().0,
            "to"
        );
        assert_eq!(day_range("soon", "", 0).unwrap_err().0, "from");
        // A nonsense offset is read as UTC rather than trusted.
        assert_eq!(day_range("2026-12-01", "", 100_000), Ok((Some(day), None)));
    }

    #[test]
    fn names_time_zones_like_people_do() {
        assert_eq!(zone_label(0), "UTC");
        assert_eq!(zone_label(120), "UTC+02:00");
        assert_eq!(zone_label(-330), "UTC−05:30");
    }

    #[test]
    fn reads_who_from_the_url() {
        let q = |who: &str| AuditQuery {
            who: who.into(),
            ..Default::default()
        };
        assert_eq!(q("").who(), Ok(Who::Anyone));
        assert_eq!(q("system").who(), Ok(Who::System));
        assert_eq!(q("42").who(), Ok(Who::User(42)));
        assert!(q("bob").who().is_err());
        assert!(!AuditQuery::default().is_filtered());
        assert!(
            AuditQuery {
                search: "x".into(),
                ..Default::default()
            }
            .is_filtered()
        );
    }
}
