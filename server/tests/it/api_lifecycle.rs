//! The API's lifecycle actions by email: `deactivateLearners`, `reactivateLearners`,
//! `removeLearnersFromTeams`, `resendInvites` and `revokeInvites` — one result per address in
//! request order, the same rules as the buttons in the browser, one audit entry per call — and
//! thousands of learners in one bulk change.

use app::domain::TeamId;
use app::domain::role::Role;
use serde_json::{Value, json};

use crate::{
    api::{call, setup},
    common::TestApp,
};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn team(app: &TestApp, name: &str) -> TeamId {
    app::server::repo::teams::insert(
        &app.state.db.pool,
        app.academy_id("acme").await,
        name,
        "#0b6e99",
        0,
    )
    .await
    .unwrap()
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list, not {v}"))
        .iter()
        .map(|item| {
            (
                item["email"].as_str().unwrap().to_string(),
                item["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

async fn invite(app: &TestApp, token: &str, emails: &[&str], teams: &[TeamId]) {
    let learners: Vec<Value> = emails
        .iter()
        .map(|e| json!({"email": e, "first_name": "Pat"}))
        .collect();
    let (status, v) = call(
        app,
        token,
        json!({"action": "inviteLearners", "options": {"learners": learners, "teams": teams, "send_email": false}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "invited"),
        "{v}"
    );
}

#[tokio::test]
async fn deactivate_learners_signs_them_out_says_what_happened_to_each_address_and_reactivate_lets_them_back_in()
 {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let (lea_browser, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    app.registered_learner(&owner, "acme", "max@example.com", Role::Learner, &[])
        .await;
    invite(&app, &token, &["pending@example.com"], &[]).await;
    assert_eq!(app.get(&lea_browser, "/a/acme").await.status(), 200);

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "deactivateLearners", "options": {"emails": [
            "Lea@Example.com", "max@example.com", "owner@example.com", "pending@example.com",
            "not an address", "lea@example.com"
        ]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("Lea@Example.com", "deactivated"),
            ("max@example.com", "deactivated"),
            ("owner@example.com", "error"),
            ("pending@example.com", "error"),
            ("not an address", "error"),
            ("lea@example.com", "deactivated"),
        ])
    );
    assert_eq!(v[2]["message"], "Staff are managed in Settings → Admins.");
    assert_eq!(
        v[3]["message"],
        "No learner with this email address in this academy"
    );
    // Signed out at once, and the sign-in refused.
    assert_eq!(app.get(&lea_browser, "/a/acme/account").await.status(), 302);
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "lea@example.com",
            crate::common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 422, "a deactivated learner cannot sign in");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE status = 'deactivated'"
        )
        .await,
        2
    );
    // One audit entry for the call, naming the application and the count.
    let (target, detail): (String, String) = sqlx::query_as(
        "SELECT target, detail FROM audit_log WHERE action = 'learner.bulk_deactivated'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(target, "API: HR system");
    // Three accounts were named (the owner's among them), two changed.
    assert_eq!(detail, "2 learners of 3 asked");

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "deactivateLearners", "options": {"emails": ["lea@example.com"]}}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        pairs(&[("lea@example.com", "already_deactivated")])
    );

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "reactivateLearners", "options": {"emails": ["lea@example.com", "max@example.com", "ann@example.com"]}}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("lea@example.com", "reactivated"),
            ("max@example.com", "reactivated"),
            ("ann@example.com", "error"),
        ])
    );
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "lea@example.com",
            crate::common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "reactivateLearners", "options": {"emails": ["lea@example.com"]}}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        pairs(&[("lea@example.com", "already_active")])
    );
}

#[tokio::test]
async fn remove_learners_from_teams_takes_learners_and_pending_invitations_out_of_the_given_teams_only()
 {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = team(&app, "Sales").await;
    let ops = team(&app, "Ops").await;
    app.registered_learner(
        &owner,
        "acme",
        "lea@example.com",
        Role::Learner,
        &[sales, ops],
    )
    .await;
    app.registered_learner(&owner, "acme", "max@example.com", Role::Learner, &[ops])
        .await;
    invite(&app, &token, &["ida@example.com"], &[sales]).await;

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "removeLearnersFromTeams", "options": {
            "emails": ["lea@example.com", "max@example.com", "ida@example.com", "nobody@example.com"],
            "teams": [sales]
        }}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("lea@example.com", "removed"),
            ("max@example.com", "not_in_team"),
            ("ida@example.com", "invite_updated"),
            ("nobody@example.com", "error"),
        ])
    );
    assert_eq!(v[0]["teams"], json!([sales]));
    assert_eq!(v[1]["teams"], json!([]));
    assert_eq!(v[2]["teams"], json!([sales]));
    // Lea stays in Ops; the invitation no longer places Ida in Sales.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_members WHERE team_id = {ops}")
        )
        .await,
        2
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_members WHERE team_id = {sales}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM invite_teams t JOIN invites i ON i.id = t.invite_id \
             WHERE i.email = 'ida@example.com'"
        )
        .await,
        0
    );

    // An unknown team is said on every item, and nothing changes.
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "removeLearnersFromTeams", "options": {"emails": ["lea@example.com"], "teams": [ops, 424242]}}),
    )
    .await;
    assert_eq!(statuses(&v), pairs(&[("lea@example.com", "error")]));
    assert!(v[0]["message"].as_str().unwrap().contains("424242"), "{v}");
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_members WHERE team_id = {ops}")
        )
        .await,
        2
    );
}

#[tokio::test]
async fn resend_and_revoke_invites_act_on_pending_learner_invitations_and_name_what_they_skip() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    invite(&app, &token, &["ann@example.com", "bob@example.com"], &[]).await;
    app.registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app.invite_admin(&owner, "boss@example.com", "Boss").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let links_before = scalar(&app, "SELECT COUNT(*) FROM invite_tokens").await;

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "resendInvites", "options": {"emails": [
            "ann@example.com", "lea@example.com", "boss@example.com", "zed@example.com", "ann@example.com"
        ]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("ann@example.com", "resent"),
            ("lea@example.com", "error"),
            ("boss@example.com", "error"),
            ("zed@example.com", "error"),
            ("ann@example.com", "resent"),
        ])
    );
    assert_eq!(
        v[1]["message"],
        "No pending invitation with this email address in this academy: the person is a member already"
    );
    assert_eq!(
        v[2]["message"],
        "Administrators' invitations are managed in Settings → Admins."
    );
    // Ann's invitation has one new link and one email waiting, however often she was named.
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM invite_tokens").await,
        links_before + 1
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM email_outbox WHERE kind = 'invite' AND to_email = 'ann@example.com'"
        )
        .await,
        1
    );

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "revokeInvites", "options": {"emails": ["bob@example.com", "ann@example.com", "boss@example.com"]}}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("bob@example.com", "revoked"),
            ("ann@example.com", "revoked"),
            ("boss@example.com", "error"),
        ])
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM invites WHERE status = 'revoked'"
        )
        .await,
        2
    );
    // Revoked: no longer pending, so a second call finds nothing to revoke.
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "revokeInvites", "options": {"emails": ["bob@example.com"]}}),
    )
    .await;
    assert_eq!(statuses(&v), pairs(&[("bob@example.com", "error")]));
    let details: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, detail FROM audit_log WHERE action LIKE 'invite.bulk%' ORDER BY id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        details,
        pairs(&[
            // The administrator's invitation was among those asked, and refused.
            ("invite.bulk_resent", "1 invitation of 2 asked"),
            ("invite.bulk_revoked", "2 invitations of 3 asked"),
        ])
    );
}

#[tokio::test]
async fn lifecycle_actions_refuse_a_call_without_emails_and_more_than_a_thousand() {
    let app = TestApp::spawn().await;
    let (_owner, token) = setup(&app).await;
    for action in [
        "deactivateLearners",
        "reactivateLearners",
        "removeLearnersFromTeams",
        "resendInvites",
        "revokeInvites",
    ] {
        let (status, v) = call(&app, &token, json!({"action": action, "options": {}})).await;
        assert_eq!(status, 422, "{action}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("options.emails"),
            "{action}: {v}"
        );
        let many: Vec<String> = (0..1001).map(|i| format!("p{i}@example.com")).collect();
        let (status, _) = call(
            &app,
            &token,
            json!({"action": action, "options": {"emails": many, "teams": [1]}}),
        )
        .await;
        assert_eq!(status, 413, "{action}");
    }
    let (status, v) = call(
        &app,
        &token,
        json!({"action": "removeLearnersFromTeams", "options": {"emails": ["a@example.com"]}}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
}

#[tokio::test]
async fn a_bulk_change_over_ten_thousand_learners_completes_in_batches_and_is_audited_once() {
    let app = TestApp::spawn().await;
    let (_owner, _token) = setup(&app).await;
    let people: Vec<_> = (0..10_000)
        .map(|n| {
            (
                format!("learner{n}@example.com"),
                "Learner".to_string(),
                n.to_string(),
                0,
            )
        })
        .collect();
    let ids = app.insert_learners("acme", &people).await;
    let academy_id = app.academy_id("acme").await;
    let outcomes = app.bulk_deactivate(academy_id, &ids, None).await;
    assert_eq!(outcomes.len(), 10_000);
    assert!(
        outcomes
            .iter()
            .all(|o| *o == app::server::services::bulk::Outcome::Done(vec![]))
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE status = 'deactivated'"
        )
        .await,
        10_000
    );
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'learner.bulk_deactivated'",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(details, vec!["10000 learners of 10000 asked".to_string()]);
}
