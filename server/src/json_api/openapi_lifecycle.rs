//! The OpenAPI description of the lifecycle actions (`deactivateLearners`, `reactivateLearners`,
//! `removeLearnersFromTeams`, `resendInvites`, `revokeInvites`): their request and result schemas
//! and examples, put into the document by `openapi`.

use app::server::services::api_actions::{MAX_ITEMS, MAX_TEAMS};
use serde_json::{Map, Value, json};

/// One lifecycle action: its name, what it does, whether it takes `teams`, and its result's statuses
/// (besides `error`) with what each means.
struct Action {
    name: &'static str,
    description: &'static str,
    teams: bool,
    statuses: &'static [(&'static str, &'static str)],
}

const ACTIONS: [Action; 5] = [
    Action {
        name: "deactivateLearners",
        description: concat!(
            "\"Revoke access\" of learners by email: each is signed out at once and can no longer sign in, ",
            "reset their password or use an invitation link; their account, teams and history stay. ",
            "Staff (Owner, Administrators) are refused. Answers `DeactivateLearnersResponse`."
        ),
        teams: false,
        statuses: &[
            ("deactivated", "Access revoked by this call."),
            (
                "already_deactivated",
                "The learner's access was revoked already.",
            ),
        ],
    },
    Action {
        name: "reactivateLearners",
        description: "Give learners their access back, by email. Answers `ReactivateLearnersResponse`.",
        teams: false,
        statuses: &[
            ("reactivated", "Access given back by this call."),
            ("already_active", "The learner had access already."),
        ],
    },
    Action {
        name: "removeLearnersFromTeams",
        description: concat!(
            "Take learners out of teams, by email; a pending invitation loses the teams too, so the person ",
            "will not join them on accepting. Other teams are untouched. Answers ",
            "`RemoveLearnersFromTeamsResponse`."
        ),
        teams: true,
        statuses: &[
            ("removed", "The learner left the teams in `teams`."),
            ("not_in_team", "The learner was in none of the teams."),
            (
                "invite_updated",
                "The address has a pending invitation; `teams` are those it no longer includes.",
            ),
        ],
    },
    Action {
        name: "resendInvites",
        description: concat!(
            "Send pending learner invitations again, by email: a fresh link and a new expiry, older links ",
            "keep working until their own expiry. An address named twice is sent one email. Answers ",
            "`ResendInvitesResponse`."
        ),
        teams: false,
        statuses: &[("resent", "A new link is on its way.")],
    },
    Action {
        name: "revokeInvites",
        description: concat!(
            "Revoke pending learner invitations, by email: their links stop working at once. Answers ",
            "`RevokeInvitesResponse`."
        ),
        teams: false,
        statuses: &[
            ("revoked", "Revoked by this call."),
            (
                "already_revoked",
                "Someone revoked it between this call's lookup and its change.",
            ),
        ],
    },
];

/// The schemas of every lifecycle action: `…Request`, `…Response` and `…Result`.
pub fn schemas(name_of: impl Fn(&str) -> String, schemas: &mut Map<String, Value>) {
    for action in &ACTIONS {
        let name = name_of(action.name);
        schemas.insert(format!("{name}Request"), request(action));
        schemas.insert(
            format!("{name}Response"),
            json!({
                "type": "array",
                "description": "One result per email of the request, in the same order.",
                "maxItems": MAX_ITEMS,
                "items": { "$ref": format!("#/components/schemas/{name}Result") }
            }),
        );
        schemas.insert(format!("{name}Result"), result(action));
    }
}

fn request(action: &Action) -> Value {
    let mut properties = json!({
        "emails": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_ITEMS,
            "description": format!("The email addresses, 1 to {MAX_ITEMS}; case does not matter."),
            "items": { "type": "string", "format": "email" }
        }
    });
    let mut required = vec!["emails"];
    if action.teams {
        properties["teams"] = json!({
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_TEAMS,
            "description": format!(
                "The teams to leave, 1 to {MAX_TEAMS}. Unknown ids are reported as an `error` on every result."
            ),
            "items": { "$ref": "#/components/schemas/TeamId" }
        });
        required.push("teams");
    }
    json!({
        "type": "object",
        "description": action.description,
        "required": ["action", "options"],
        "properties": {
            "action": {
                "type": "string",
                "const": action.name,
                "description": "The action's name; surrounding spaces are ignored."
            },
            "options": { "type": "object", "required": required, "properties": properties }
        }
    })
}

fn result(action: &Action) -> Value {
    let mut statuses: Vec<&str> = action.statuses.iter().map(|(s, _)| *s).collect();
    statuses.push("error");
    let meaning: Vec<String> = action
        .statuses
        .iter()
        .map(|(s, m)| format!("`{s}`: {m}"))
        .chain(std::iter::once(
            "`error`: nothing was done; see `message`.".to_string(),
        ))
        .collect();
    let mut properties = json!({
        "email": { "type": "string", "description": "The address as given in the request." },
        "status": { "type": "string", "enum": statuses, "description": meaning.join(" ") },
        "message": {
            "type": "string",
            "description": "With `error`: why, in words meant for a person.",
            "examples": [
                "No learner with this email address in this academy",
                "Staff are managed in Settings → Admins."
            ]
        }
    });
    if action.teams {
        properties["teams"] = json!({
            "type": "array",
            "description": "With every status but `error`: the teams left (empty when none was).",
            "items": { "$ref": "#/components/schemas/TeamId" }
        });
    }
    json!({ "type": "object", "required": ["email", "status"], "properties": properties })
}

/// A request and a 200 answer for `action`, if it is a lifecycle action.
pub fn examples(action: &str) -> Option<(Value, Value)> {
    let (options, answer) = match action {
        "deactivateLearners" => (
            json!({ "emails": ["grace@example.com", "ada@example.com", "owner@example.com"] }),
            json!([
                { "email": "grace@example.com", "status": "deactivated" },
                { "email": "ada@example.com", "status": "already_deactivated" },
                { "email": "owner@example.com", "status": "error", "message": "Staff are managed in Settings → Admins." }
            ]),
        ),
        "reactivateLearners" => (
            json!({ "emails": ["grace@example.com", "nobody@example.com"] }),
            json!([
                { "email": "grace@example.com", "status": "reactivated" },
                { "email": "nobody@example.com", "status": "error", "message": "No learner with this email address in this academy" }
            ]),
        ),
        "removeLearnersFromTeams" => (
            json!({ "emails": ["grace@example.com", "ada@example.com"], "teams": [12] }),
            json!([
                { "email": "grace@example.com", "status": "removed", "teams": [12] },
                { "email": "ada@example.com", "status": "invite_updated", "teams": [12] }
            ]),
        ),
        "resendInvites" => (
            json!({ "emails": ["ada@example.com", "grace@example.com"] }),
            json!([
                { "email": "ada@example.com", "status": "resent" },
                {
                    "email": "grace@example.com",
                    "status": "error",
                    "message": "No pending invitation with this email address in this academy: the person is a member already"
                }
            ]),
        ),
        "revokeInvites" => (
            json!({ "emails": ["ada@example.com"] }),
            json!([{ "email": "ada@example.com", "status": "revoked" }]),
        ),
        _ => return None,
    };
    Some((json!({ "action": action, "options": options }), answer))
}
