//! Teams: the Teams section, "Invite to team", "Invites in team" and "Learners in team", end to end
//! through the real server (and a real SMTP server on loopback where mail matters), on SQLite or
//! PostgreSQL.

use crate::common;
use app::domain::{TeamId, UserId};

use std::time::Duration;

use app::{
    domain::role::Role,
    model::{
        DeletedTeam, InviteOutcome, InviteResult, InviteView, Page, TeamAdded, TeamMemberView,
        TeamSummary, TeamView,
    },
};
use common::{TestApp, error_of, smtp_sink::SmtpSink};
use reqwest::Client;
use serde_json::json;

async fn create_team(app: &TestApp, client: &Client, name: &str, color: &str) -> reqwest::Response {
    app.call(client, "create_team", &[("name", name), ("color", color)])
        .await
}

async fn team(app: &TestApp, client: &Client, name: &str) -> TeamView {
    let res = create_team(app, client, name, "Blue").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn summaries(app: &TestApp, client: &Client, search: &str) -> Page<TeamSummary> {
    let res = app
        .call_json(
            client,
            "list_team_summaries",
            json!({"query": {"search": search, "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn summary(app: &TestApp, client: &Client, team_id: TeamId) -> TeamSummary {
    let res = app
        .call(client, "get_team", &[("team_id", &team_id.to_string())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn members(app: &TestApp, client: &Client, team_id: TeamId) -> Vec<String> {
    let res = app
        .call_json(
            client,
            "list_team_members",
            json!({"team_id": team_id, "query": {"search": "", "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page: Page<TeamMemberView> = res.json().await.unwrap();
    page.rows.into_iter().map(|m| m.email).collect()
}

async fn team_invites(app: &TestApp, client: &Client, team_id: TeamId) -> Vec<InviteView> {
    let res = app
        .call_json(
            client,
            "list_invites",
            json!({"query": {"search": "", "filter": "", "page": 1, "team_id": team_id}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page: Page<InviteView> = res.json().await.unwrap();
    page.rows
}

async fn invite_to(
    app: &TestApp,
    client: &Client,
    email: &str,
    team_ids: &[TeamId],
    send_email: bool,
    from_team: bool,
) -> Vec<InviteResult> {
    let res = app
        .call_json(
            client,
            "invite_learners",
            json!({
                "people": [{"email": email, "first_name": "Tia", "last_name": "Team"}],
                "role": "learner",
                "team_ids": team_ids,
                "send_email": send_email,
                "from_team": from_team,
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn add_members(
    app: &TestApp,
    client: &Client,
    team_id: TeamId,
    user_ids: &[UserId],
) -> reqwest::Response {
    app.call_json(
        client,
        "add_team_members",
        json!({"team_id": team_id, "user_ids": user_ids}),
    )
    .await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT action, target, detail FROM audit_log ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_team_is_created_renamed_recoloured_and_deleted_and_each_step_is_audited() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = create_team(&app, &owner, "  Sales   EMEA ", "#0F7B6C").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let sales: TeamView = res.json().await.unwrap();
    assert_eq!(sales.name, "Sales EMEA", "the name is tidied");
    assert_eq!(sales.color, "#0f7b6c");

    let list = summaries(&app, &owner, "").await;
    assert_eq!(list.total, 1);
    assert_eq!(list.rows[0].team, sales);
    assert_eq!(
        (list.rows[0].learners_count, list.rows[0].invites_count),
        (0, 0)
    );

    let res = app
        .call(
            &owner,
            "update_team",
            &[
                ("team_id", &sales.id.to_string()),
                ("name", "Sales Europe"),
                ("color", "Purple"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let now: TeamView = res.json().await.unwrap();
    assert_eq!(
        (now.id, now.name.as_str(), now.color.as_str()),
        (sales.id, "Sales Europe", "#6a3fa0")
    );
    assert_eq!(summary(&app, &owner, sales.id).await.team, now);

    let res = app
        .call(&owner, "delete_team", &[("team_id", &sales.id.to_string())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let gone: DeletedTeam = res.json().await.unwrap();
    assert_eq!(gone.name, "Sales Europe");
    assert_eq!(summaries(&app, &owner, "").await.total, 0);
    let res = app
        .call(&owner, "get_team", &[("team_id", &sales.id.to_string())])
        .await;
    assert_eq!(res.status(), 404);
    assert!(error_of(res).await.to_string().contains("no longer exists"));

    let audit = audit_actions(&app).await;
    let team_rows: Vec<(&str, &str, Option<&str>)> = audit
        .iter()
        .filter(|(a, _, _)| a.starts_with("team."))
        .map(|(a, t, d)| (a.as_str(), t.as_str(), d.as_deref()))
        .collect();
    assert_eq!(
        team_rows,
        [
            ("team.created", "Sales EMEA", Some("Teal")),
            (
                "team.renamed",
                "Sales Europe",
                Some("Sales EMEA → Sales Europe")
            ),
            ("team.recolored", "Sales Europe", Some("Teal → Purple")),
            (
                "team.deleted",
                "Sales Europe",
                Some("0 learners, 0 pending invites")
            ),
        ]
    );
}

#[tokio::test]
async fn team_names_are_unique_in_an_academy_whatever_their_case() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let res = create_team(&app, &owner, "sALES", "Blue").await;
    assert_eq!(res.status(), 409);
    let err = error_of(res).await;
    assert_eq!(
        err.field_message("name").unwrap(),
        "A team named \"sALES\" already exists in this academy (names are compared without regard to case). Choose another name."
    );
    let support = team(&app, &owner, "Support").await;
    let res = app
        .call(
            &owner,
            "update_team",
            &[
                ("team_id", &support.id.to_string()),
                ("name", "SALES"),
                ("color", "Blue"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409, "renaming onto another team's name");
    // Renaming a team to its own name in another case is fine.
    let res = app
        .call(
            &owner,
            "update_team",
            &[
                ("team_id", &sales.id.to_string()),
                ("name", "SALES"),
                ("color", "Blue"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // Another academy may have its own "Sales".
    let olga = app.other_academy("beta").await;
    team(&app, &olga, "Sales").await;
    assert_eq!(summaries(&app, &owner, "").await.total, 2);
}

#[tokio::test]
async fn a_bad_team_name_or_colour_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = create_team(&app, &owner, "   ", "Chartreuse").await;
    assert_eq!(res.status(), 422);
    let err = error_of(res).await;
    assert_eq!(
        err.field_message("name").unwrap(),
        "Enter a name for the team"
    );
    assert!(
        err.field_message("color")
            .unwrap()
            .starts_with("\"Chartreuse\" is not one of the team colours"),
        "{err:?}"
    );
    let res = create_team(&app, &owner, &"n".repeat(61), "Blue").await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        summaries(&app, &owner, "").await.total,
        0,
        "nothing created"
    );
}

#[tokio::test]
async fn invited_to_a_team_a_learner_waits_in_invites_in_team_then_joins_from_the_email_and_is_a_member()
 {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let other = team(&app, &owner, "Support").await;
    let results = invite_to(&app, &owner, "tia@example.com", &[sales.id], true, true).await;
    assert!(matches!(results[0].outcome, InviteOutcome::Invited { .. }));
    invite_to(
        &app,
        &owner,
        "nobody@example.com",
        &[other.id],
        false,
        false,
    )
    .await;

    let waiting = team_invites(&app, &owner, sales.id).await;
    assert_eq!(
        waiting.iter().map(|i| i.email.as_str()).collect::<Vec<_>>(),
        ["tia@example.com"],
        "only this team's pending invites"
    );
    let s = summary(&app, &owner, sales.id).await;
    assert_eq!((s.learners_count, s.invites_count), (0, 1));
    let source: String =
        sqlx::query_scalar("SELECT source FROM invites WHERE email = 'tia@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(source, "team");

    let mail = sink.wait_for(1, Duration::from_secs(10)).await.remove(0);
    let link = mail
        .links()
        .into_iter()
        .find(|l| l.contains("/join/"))
        .expect("a join link");
    let token = link.rsplit('/').next().unwrap().to_string();
    let tia = app.browser();
    let res = app
        .call(
            &tia,
            "join",
            &[
                ("slug", "acme"),
                ("token", &token),
                ("first_name", "Tia"),
                ("last_name", "Team"),
                ("password", "any password 123"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    assert!(team_invites(&app, &owner, sales.id).await.is_empty());
    assert_eq!(members(&app, &owner, sales.id).await, ["tia@example.com"]);
    assert!(members(&app, &owner, other.id).await.is_empty());
    let s = summary(&app, &owner, sales.id).await;
    assert_eq!((s.learners_count, s.invites_count), (1, 0));
}

#[tokio::test]
async fn a_learner_invited_to_two_teams_lands_in_both() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let support = team(&app, &owner, "Support").await;
    app.registered_learner(
        &owner,
        "acme",
        "two@example.com",
        Role::Learner,
        &[sales.id, support.id],
    )
    .await;
    assert_eq!(members(&app, &owner, sales.id).await, ["two@example.com"]);
    assert_eq!(members(&app, &owner, support.id).await, ["two@example.com"]);
}

#[tokio::test]
async fn inviting_someone_again_adds_teams_and_never_takes_one_away() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let support = team(&app, &owner, "Support").await;
    invite_to(&app, &owner, "tia@example.com", &[sales.id], false, true).await;
    let again = invite_to(&app, &owner, "tia@example.com", &[support.id], false, true).await;
    assert!(matches!(
        again[0].outcome,
        InviteOutcome::AlreadyInvited { .. }
    ));
    assert_eq!(team_invites(&app, &owner, sales.id).await.len(), 1);
    let row = team_invites(&app, &owner, support.id).await.remove(0);
    let names: Vec<&str> = row.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Sales", "Support"]);
}

#[tokio::test]
async fn registered_learners_are_added_to_a_team_and_no_longer_offered_for_it() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let (_, ann) = app
        .registered_learner(&owner, "acme", "ann@example.com", Role::Learner, &[])
        .await;
    let (_, bob) = app
        .registered_learner(&owner, "acme", "bob@example.com", Role::LearnerAnalyst, &[])
        .await;
    let candidates = |search: &'static str| {
        let (app, owner) = (&app, &owner);
        async move {
            let res = app
                .call(
                    owner,
                    "team_candidates",
                    &[("team_id", &sales.id.to_string()), ("search", search)],
                )
                .await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            let found: Vec<TeamMemberView> = res.json().await.unwrap();
            found.into_iter().map(|c| c.email).collect::<Vec<_>>()
        }
    };
    let mut all = candidates("").await;
    all.sort();
    assert_eq!(
        all,
        ["ann@example.com", "bob@example.com"],
        "staff are not offered"
    );
    assert_eq!(candidates("BOB").await, ["bob@example.com"]);

    let res = add_members(&app, &owner, sales.id, &[ann, bob, ann]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let added: TeamAdded = res.json().await.unwrap();
    assert_eq!(
        added,
        TeamAdded {
            added: 2,
            already: 0
        }
    );
    let res = add_members(&app, &owner, sales.id, &[ann]).await;
    let again: TeamAdded = res.json().await.unwrap();
    assert_eq!(
        again,
        TeamAdded {
            added: 0,
            already: 1
        }
    );
    assert!(candidates("").await.is_empty());
    let mut now = members(&app, &owner, sales.id).await;
    now.sort();
    assert_eq!(now, ["ann@example.com", "bob@example.com"]);

    // Taking one out keeps them in the academy.
    let res = app
        .call(
            &owner,
            "remove_team_member",
            &[
                ("team_id", &sales.id.to_string()),
                ("user_id", &ann.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(members(&app, &owner, sales.id).await, ["bob@example.com"]);
    assert!(app.user_id("acme", "ann@example.com").await.is_some());
    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(a, _, _)| a.starts_with("team.member"))
        .map(|(a, t, _)| format!("{a} {t}"))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert_eq!(actions[2], "team.member_removed ann@example.com");

    // Staff and unknown ids are refused by name, nothing added.
    let owner_id = app.user_id("acme", common::OWNER_EMAIL).await.unwrap();
    let res = add_members(&app, &owner, sales.id, &[owner_id]).await;
    assert_eq!(res.status(), 404);
    let res = add_members(&app, &owner, sales.id, &[]).await;
    assert_eq!(res.status(), 422);
    let too_many: Vec<UserId> = (1..=501).map(UserId::new).collect();
    let res = add_members(&app, &owner, sales.id, &too_many).await;
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn concurrent_adds_of_the_same_learner_make_one_membership() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let (_, ann) = app
        .registered_learner(&owner, "acme", "ann@example.com", Role::Learner, &[])
        .await;
    let one = [ann];
    let calls = (0..8).map(|_| add_members(&app, &owner, sales.id, &one));
    let mut added = 0;
    for res in futures::future::join_all(calls).await {
        assert_eq!(res.status(), 200);
        let r: TeamAdded = res.json().await.unwrap();
        added += r.added;
    }
    assert_eq!(added, 1, "exactly one call added her");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM team_members WHERE team_id = $1")
        .bind(sales.id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn deleting_a_team_keeps_its_learners_and_takes_only_it_off_pending_invites() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let support = team(&app, &owner, "Support").await;
    let (_, ann) = app
        .registered_learner(
            &owner,
            "acme",
            "ann@example.com",
            Role::Learner,
            &[sales.id],
        )
        .await;
    invite_to(
        &app,
        &owner,
        "tia@example.com",
        &[sales.id, support.id],
        false,
        false,
    )
    .await;
    let s = summary(&app, &owner, sales.id).await;
    assert_eq!((s.learners_count, s.invites_count), (1, 1));

    let res = app
        .call(&owner, "delete_team", &[("team_id", &sales.id.to_string())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let gone: DeletedTeam = res.json().await.unwrap();
    assert_eq!(
        gone,
        DeletedTeam {
            name: "Sales".into(),
            learners: 1,
            invites: 1
        }
    );
    assert!(
        app.user_id("acme", "ann@example.com").await.is_some(),
        "Ann stays"
    );
    let memberships: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM team_members WHERE user_id = $1")
            .bind(ann)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(memberships, 0);
    let invite = team_invites(&app, &owner, support.id).await.remove(0);
    assert_eq!(invite.email, "tia@example.com");
    assert_eq!(invite.progress.label(), "Invited", "still pending");
    assert_eq!(
        invite
            .teams
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Support"]
    );
    let audit = audit_actions(&app).await;
    assert!(audit.contains(&(
        "team.deleted".into(),
        "Sales".into(),
        Some("1 learner, 1 pending invite".into())
    )));
}

#[tokio::test]
async fn a_team_of_another_academy_is_not_found_by_any_team_function() {
    let app = TestApp::spawn().await;
    let owner_a = app.create_first_academy("acme").await;
    let owner_b = app.other_academy("beta").await;
    let b_team = team(&app, &owner_b, "Beta team").await;
    let (_, b_learner) = app
        .registered_learner(
            &owner_b,
            "beta",
            "bea@example.com",
            Role::Learner,
            &[b_team.id],
        )
        .await;
    let a_team = team(&app, &owner_a, "Acme team").await;
    let (_, a_learner) = app
        .registered_learner(&owner_a, "acme", "ann@example.com", Role::Learner, &[])
        .await;
    let b = b_team.id.to_string();
    let b_user = b_learner.to_string();
    let form_calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("get_team", vec![("team_id", &b)]),
        (
            "update_team",
            vec![("team_id", &b), ("name", "Mine now"), ("color", "Red")],
        ),
        ("delete_team", vec![("team_id", &b)]),
        ("team_candidates", vec![("team_id", &b), ("search", "")]),
        (
            "remove_team_member",
            vec![("team_id", &b), ("user_id", &b_user)],
        ),
    ];
    for (endpoint, form) in &form_calls {
        let res = app.call(&owner_a, endpoint, form).await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
    let json_calls = [
        (
            "list_team_members",
            json!({"team_id": b_team.id, "query": {"search": "", "filter": "", "page": 1}}),
        ),
        (
            "add_team_members",
            json!({"team_id": b_team.id, "user_ids": [a_learner]}),
        ),
        (
            "list_invites",
            json!({"query": {"search": "", "filter": "", "page": 1, "team_id": b_team.id}}),
        ),
        // A learner of academy B into academy A's own team.
        (
            "add_team_members",
            json!({"team_id": a_team.id, "user_ids": [b_learner]}),
        ),
    ];
    for (endpoint, body) in json_calls {
        let res = app.call_json(&owner_a, endpoint, body.clone()).await;
        assert_eq!(res.status(), 404, "{endpoint} {body}");
    }
    // Academy A sees only its own teams, and B's team is untouched.
    let list = summaries(&app, &owner_a, "").await;
    assert_eq!(
        list.rows.iter().map(|s| s.team.id).collect::<Vec<_>>(),
        [a_team.id]
    );
    let s = summary(&app, &owner_b, b_team.id).await;
    assert_eq!((s.team.name.as_str(), s.learners_count), ("Beta team", 1));
    assert!(members(&app, &owner_a, a_team.id).await.is_empty());
}

#[tokio::test]
async fn learners_analysts_and_strangers_cannot_manage_teams() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "ann@example.com", Role::Learner, &[])
        .await;
    let (analyst, _) = app
        .registered_learner(&owner, "acme", "ana@example.com", Role::LearnerAnalyst, &[])
        .await;
    let id = sales.id.to_string();
    for (who, client, status) in [
        ("learner", &learner, 403),
        ("analyst", &analyst, 403),
        ("signed out", &app.browser(), 401),
    ] {
        let res = create_team(&app, client, "Mine", "Blue").await;
        assert_eq!(res.status(), status, "{who} create_team");
        let res = app.call(client, "delete_team", &[("team_id", &id)]).await;
        assert_eq!(res.status(), status, "{who} delete_team");
        let res = app.call(client, "get_team", &[("team_id", &id)]).await;
        assert_eq!(res.status(), status, "{who} get_team");
    }
    assert_eq!(summaries(&app, &owner, "").await.total, 1);
}

#[tokio::test]
async fn the_teams_list_searches_by_name_and_counts_each_team() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let mut ids = vec![];
    for name in ["Berlin", "Bern", "Boston", "Paris"] {
        ids.push(team(&app, &owner, name).await.id);
    }
    app.registered_learner(
        &owner,
        "acme",
        "ann@example.com",
        Role::Learner,
        &[ids[0], ids[1]],
    )
    .await;
    invite_to(&app, &owner, "tia@example.com", &[ids[0]], false, false).await;
    let found = summaries(&app, &owner, "ber").await;
    let rows: Vec<(&str, i64, i64)> = found
        .rows
        .iter()
        .map(|s| (s.team.name.as_str(), s.learners_count, s.invites_count))
        .collect();
    assert_eq!(rows, [("Berlin", 1, 1), ("Bern", 1, 0)]);
    assert_eq!(
        summaries(&app, &owner, "%").await.total,
        0,
        "LIKE wildcards are literal"
    );
}

#[tokio::test]
async fn add_learners_offers_at_most_twenty_matches_at_a_time() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let academy = app.academy_id("acme").await;
    for i in 0..25 {
        let email = format!("l{i:02}@example.com");
        app::server::repo::users::insert(
            &app.state.db.pool,
            &app::server::repo::users::NewUser {
                academy_id: academy,
                email: &email,
                first_name: "Learner",
                last_name: &format!("{i:02}"),
                role: Role::Learner,
                password_hash: "not a real hash",
            },
            0,
        )
        .await
        .unwrap();
    }
    let res = app
        .call(
            &owner,
            "team_candidates",
            &[("team_id", &sales.id.to_string()), ("search", "")],
        )
        .await;
    let found: Vec<TeamMemberView> = res.json().await.unwrap();
    assert_eq!(
        found.len() as i64,
        app::domain::team::CANDIDATES_SHOWN,
        "a page of matches, not all 25"
    );
    assert_eq!(found[0].email, "l00@example.com", "by name");
}
