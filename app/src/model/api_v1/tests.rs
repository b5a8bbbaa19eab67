//! The API's wire types against the rules they describe: the limits written into the schemas are
//! the limits the server applies, and the answers serialise as documented.

use serde_json::{Value, json};
use utoipa::OpenApi;

use super::*;
use crate::domain::{
    InviteId, LEARNER_ROLES, Role,
    csv_import::thousands as grouped,
    email,
    invite_message::{MESSAGE_MAX_CHARS, MESSAGE_MAX_LINES},
    names::PERSON_NAME_MAX_LEN,
};

fn schemas() -> Value {
    serde_json::to_value(Schemas::openapi().components.expect("components").schemas).unwrap()
}

#[test]
fn every_action_is_found_by_its_name_and_no_other() {
    for action in Action::ALL {
        assert_eq!(Action::parse(action.name()), Some(action));
        assert_eq!(
            Action::parse(&format!("  {} ", action.name())),
            Some(action)
        );
    }
    assert_eq!(Action::parse("InviteLearners"), None);
    assert_eq!(Action::parse(""), None);
}

#[test]
fn every_action_s_options_and_answer_are_among_the_schemas() {
    let schemas = schemas();
    for action in Action::ALL {
        let (options, _) = action.options();
        let (answer, _) = action.answer();
        assert!(
            schemas.get(options.as_ref()).is_some(),
            "{action:?}: {options}"
        );
        assert!(
            schemas.get(answer.as_ref()).is_some(),
            "{action:?}: {answer}"
        );
    }
}

#[test]
fn the_limits_in_the_schemas_are_the_limits_the_server_applies() {
    let s = schemas();
    let items = MAX_ITEMS as u64;
    let teams = MAX_TEAMS as u64;
    for (pointer, expected) in [
        ("/InviteLearnersOptions/properties/learners/maxItems", items),
        ("/InviteLearnersOptions/properties/teams/maxItems", teams),
        (
            "/InviteLearnersOptions/properties/message/maxLength",
            MESSAGE_MAX_CHARS as u64,
        ),
        ("/EmailsAndTeams/properties/emails/maxItems", items),
        ("/EmailsAndTeams/properties/teams/maxItems", teams),
        ("/Emails/properties/emails/maxItems", items),
        (
            "/LearnersOptions/properties/limit/maximum",
            MAX_LIMIT as u64,
        ),
        ("/InvitesOptions/properties/limit/maximum", MAX_LIMIT as u64),
        ("/InvitesOptions/properties/limit/default", MAX_LIMIT as u64),
    ] {
        let found = s.pointer(pointer).and_then(Value::as_u64);
        assert_eq!(found, Some(expected), "{pointer}");
    }
    for (pointer, says) in [
        (
            "/InviteLearnersOptions/properties/learners/description",
            grouped(MAX_ITEMS),
        ),
        (
            "/InviteLearnersOptions/properties/teams/description",
            grouped(MAX_TEAMS),
        ),
        (
            "/InviteLearnersOptions/properties/message/description",
            grouped(MESSAGE_MAX_CHARS),
        ),
        (
            "/InviteLearnersOptions/properties/message/description",
            format!("{MESSAGE_MAX_LINES} lines"),
        ),
        (
            "/LearnerToInvite/properties/email/description",
            grouped(email::MAX_LEN),
        ),
        (
            "/LearnerToInvite/properties/first_name/description",
            format!("1–{PERSON_NAME_MAX_LEN}"),
        ),
        (
            "/LearnerToInvite/properties/last_name/description",
            grouped(PERSON_NAME_MAX_LEN),
        ),
        (
            "/EmailsAndTeams/properties/emails/description",
            grouped(MAX_ITEMS),
        ),
        (
            "/EmailsAndTeams/properties/teams/description",
            grouped(MAX_TEAMS),
        ),
        ("/Emails/properties/emails/description", grouped(MAX_ITEMS)),
        (
            "/LearnersOptions/properties/limit/description",
            grouped(MAX_LIMIT as usize),
        ),
        (
            "/InvitesOptions/properties/limit/description",
            grouped(MAX_LIMIT as usize),
        ),
    ] {
        let text = s
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(
            text.contains(&says),
            "{pointer} should say {says}: {text:?}"
        );
    }
}

#[test]
fn the_role_schemas_list_the_roles_the_domain_has() {
    let s = schemas();
    let learner_roles: Vec<&str> = LEARNER_ROLES.iter().map(|r| r.as_str()).collect();
    assert_eq!(s["LearnerRole"]["enum"], json!(learner_roles));
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(s["Role"]["enum"], json!(roles));
    let statuses: Vec<&str> = InviteStatus::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(s["InviteStatus"]["enum"], json!(statuses));
}

#[test]
fn a_result_carries_its_status_and_only_its_own_fields() {
    let invited = InviteLearnersResult::Invited {
        email: "ada@example.com".into(),
        invite_id: InviteId::new(7),
    };
    assert_eq!(
        serde_json::to_value(invited).unwrap(),
        json!({"status": "invited", "email": "ada@example.com", "invite_id": 7})
    );
    let refused = RevokeInvitesResult::refused("  ada@example.com ", "No pending invitation");
    assert_eq!(
        serde_json::to_value(refused).unwrap(),
        json!({"status": "error", "email": "ada@example.com", "message": "No pending invitation"})
    );
}

#[test]
fn a_learner_missing_a_field_still_reads_so_it_is_refused_alone() {
    let call = Call::read(
        Action::InviteLearners,
        &json!({"learners": [{"email": "a@b.co"}, {}, "ann@example.com"]}),
    )
    .unwrap();
    let Call::InviteLearners(options) = call else {
        panic!("{call:?}")
    };
    let items = options.learners.unwrap().0;
    assert!(
        matches!(&items[0], Wanted::Learner(l) if l.email.0 == "a@b.co" && l.first_name.0.is_empty())
    );
    assert!(matches!(&items[1], Wanted::Learner(l) if l.email.0.is_empty()));
    assert!(matches!(&items[2], Wanted::NotAnObject(text) if text == "ann@example.com"));
    let s = schemas();
    assert_eq!(
        s["LearnerToInvite"]["required"],
        json!(["email", "first_name"])
    );
}

#[test]
fn a_null_option_is_the_option_left_out() {
    let call = Call::read(
        Action::InviteLearners,
        &json!({"learners": [{"email": "a@b.co", "first_name": "A"}], "send_email": null,
                "teams": null, "message": null}),
    )
    .unwrap();
    let Call::InviteLearners(options) = call else {
        panic!("{call:?}")
    };
    assert!(options.sends_email());
    assert!(options.teams.0.is_empty());
    assert!(options.message.is_none());
    let call = Call::read(
        Action::Learners,
        &json!({"dates": null, "offset": null, "limit": null, "status": null}),
    );
    assert!(call.is_ok(), "{call:?}");
}
