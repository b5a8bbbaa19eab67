//! Bulk actions on All Learners and the Invites tab: the rows ticked, or every row that matches
//! the search and filter across pages; staff and the admin's own account skipped with the reason;
//! one audit entry per action with the count.

use app::domain::{InviteId, UserId};
use app::{
    domain::role::Role,
    model::ListQuery,
    model::bulk::{BulkSummary, InviteBulk, LearnerBulk, Selection},
};
use reqwest::{Client, Response};
use serde_json::json;

use crate::common::{self, TestApp};

async fn bulk(
    app: &TestApp,
    admin: &Client,
    selection: Selection<UserId>,
    action: LearnerBulk,
) -> Response {
    app.call_json(
        admin,
        "bulk_learners",
        json!({"selection": selection, "action": action}),
    )
    .await
}

async fn summary(res: Response) -> BulkSummary {
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

fn matching<Id>(search: &str, filter: &str) -> Selection<Id> {
    Selection::Matching(ListQuery {
        search: search.into(),
        filter: filter.into(),
        page: 3,
        team_id: None,
    })
}

/// `n` learners `{prefix}{i}@example.com` in academy "acme".
async fn learners(app: &TestApp, prefix: &str, n: usize) -> Vec<UserId> {
    let people: Vec<_> = (0..n)
        .map(|i| {
            (
                format!("{prefix}{i}@example.com"),
                "Pat".to_string(),
                format!("{prefix}{i}"),
                0,
            )
        })
        .collect();
    app.insert_learners("acme", &people).await
}

#[tokio::test]
async fn select_all_matching_changes_every_learner_the_search_finds_on_every_page_and_nobody_else()
{
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    learners(&app, "sales", 60).await;
    learners(&app, "ops", 5).await;

    let done = summary(
        bulk(
            &app,
            &owner,
            matching("SALES", ""),
            LearnerBulk::SetRole(Role::LearnerAnalyst),
        )
        .await,
    )
    .await;
    assert_eq!(
        done,
        BulkSummary {
            done: 60,
            unchanged: 0,
            skipped: vec![]
        }
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE role = 'learner_analyst'"
        )
        .await,
        60
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE role = 'learner' AND email LIKE 'ops%'"
        )
        .await,
        5
    );
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'learner.bulk_role_changed'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(detail, "60 learners of 60 asked → learner_analyst");

    // Again: nothing to change, said as such; a plan's limit refuses the whole action.
    let again = summary(
        bulk(
            &app,
            &owner,
            matching("sales", ""),
            LearnerBulk::SetRole(Role::LearnerAnalyst),
        )
        .await,
    )
    .await;
    assert_eq!((again.done, again.unchanged), (0, 60));
    let res = bulk(
        &app,
        &owner,
        matching("sales", ""),
        LearnerBulk::SetRole(Role::LearnerAdmin),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text().await.unwrap().contains("Business plan"),
        "the plan is named"
    );
    let res = bulk(
        &app,
        &owner,
        matching("nobody-matches", ""),
        LearnerBulk::GiveAccess,
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("No learner matches"));
}

#[tokio::test]
async fn ticked_rows_lose_their_access_at_once_and_the_admins_own_row_is_skipped_with_the_reason() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (lea_browser, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let (_, max) = app
        .registered_learner(&owner, "acme", "max@example.com", Role::Learner, &[])
        .await;
    let me = app.user_id("acme", "owner@example.com").await.unwrap();

    let done = summary(
        bulk(
            &app,
            &owner,
            Selection::Rows(vec![lea, max, me, lea]),
            LearnerBulk::RevokeAccess,
        )
        .await,
    )
    .await;
    assert_eq!((done.done, done.unchanged), (2, 0));
    assert_eq!(
        done.skipped,
        vec![("Staff are managed in Settings → Admins.".to_string(), 1)]
    );
    assert_eq!(
        app.get(&lea_browser, "/a/acme/account").await.status(),
        302,
        "the open session ended"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE status = 'deactivated'"
        )
        .await,
        2
    );

    let back = summary(
        bulk(
            &app,
            &owner,
            matching("", "deactivated"),
            LearnerBulk::GiveAccess,
        )
        .await,
    )
    .await;
    assert_eq!(back.done, 2);
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "lea@example.com",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Nothing ticked, or more than a selection holds: refused, saying what to do.
    let res = bulk(
        &app,
        &owner,
        Selection::Rows(vec![]),
        LearnerBulk::GiveAccess,
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = bulk(
        &app,
        &owner,
        Selection::Rows((1..=1001).map(UserId::new).collect()),
        LearnerBulk::GiveAccess,
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Select all matching"));
}

#[tokio::test]
async fn team_changes_and_removal_apply_to_the_selection_and_a_team_of_another_academy_is_not_found()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let ids = learners(&app, "lea", 3).await;
    let academy = app.academy_id("acme").await;
    let sales =
        app::server::repo::teams::insert(&app.state.db.pool, academy, "Sales", "#0b6e99", 0)
            .await
            .unwrap();

    let joined = summary(
        bulk(
            &app,
            &owner,
            Selection::Rows(ids.clone()),
            LearnerBulk::AddToTeam(sales),
        )
        .await,
    )
    .await;
    assert_eq!(joined.done, 3);
    let again = summary(
        bulk(
            &app,
            &owner,
            Selection::Rows(ids.clone()),
            LearnerBulk::AddToTeam(sales),
        )
        .await,
    )
    .await;
    assert_eq!((again.done, again.unchanged), (0, 3));
    let left = summary(
        bulk(
            &app,
            &owner,
            Selection::Rows(ids[..1].to_vec()),
            LearnerBulk::RemoveFromTeam(sales),
        )
        .await,
    )
    .await;
    assert_eq!(left.done, 1);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_members WHERE team_id = {sales}")
        )
        .await,
        2
    );

    // "Learners in team", every one matching: the team's members only.
    let in_team = Selection::Matching(ListQuery {
        search: "lea".into(),
        filter: String::new(),
        page: 1,
        team_id: Some(sales),
    });
    let left = summary(bulk(&app, &owner, in_team, LearnerBulk::RemoveFromTeam(sales)).await).await;
    assert_eq!(
        (left.done, left.unchanged),
        (2, 0),
        "the two still in Sales"
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_members WHERE team_id = {sales}")
        )
        .await,
        0
    );

    let beta = app.other_academy("beta").await;
    let res = bulk(
        &app,
        &beta,
        Selection::Matching(ListQuery {
            search: String::new(),
            filter: String::new(),
            page: 1,
            team_id: Some(sales),
        }),
        LearnerBulk::RevokeAccess,
    )
    .await;
    assert_eq!(res.status(), 404, "another academy's team is not found");
    let res = bulk(
        &app,
        &beta,
        Selection::Rows(ids.clone()),
        LearnerBulk::RevokeAccess,
    )
    .await;
    let skipped = summary(res).await;
    assert_eq!(
        skipped.done, 0,
        "another academy's learners are never touched"
    );
    let res = bulk(
        &app,
        &beta,
        Selection::Rows(vec![UserId::new(1)]),
        LearnerBulk::AddToTeam(sales),
    )
    .await;
    assert_eq!(res.status(), 404);

    let removed = summary(bulk(&app, &owner, matching("lea", ""), LearnerBulk::Remove).await).await;
    assert_eq!(removed.done, 3);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM users WHERE email LIKE 'lea%'").await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'learner.bulk_removed' AND detail = '3 learners of 3 asked'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn invites_matching_a_filter_are_resent_or_revoked_and_those_no_longer_pending_are_skipped() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let people: Vec<_> = (0..30)
        .map(
            |i| json!({"email": format!("p{i}@example.com"), "first_name": "Pat", "last_name": ""}),
        )
        .collect();
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": people, "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    app.registered_learner(&owner, "acme", "joined@example.com", Role::Learner, &[])
        .await;
    let joined: i64 =
        sqlx::query_scalar("SELECT id FROM invites WHERE email = 'joined@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();

    let res = app
        .call_json(
            &owner,
            "bulk_invites",
            json!({"selection": matching::<InviteId>("p", "invited"), "action": InviteBulk::Resend}),
        )
        .await;
    let resent = summary(res).await;
    assert_eq!(resent.done, 30);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM email_outbox WHERE kind = 'invite'"
        )
        .await,
        30
    );

    let mut ticked: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM invites WHERE email LIKE 'p1%' ORDER BY id")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    ticked.push(joined);
    let res = app
        .call_json(
            &owner,
            "bulk_invites",
            json!({"selection": Selection::Rows(ticked), "action": InviteBulk::Revoke}),
        )
        .await;
    let revoked = summary(res).await;
    assert_eq!(revoked.done, 11, "p1 and p10–p19");
    assert_eq!(
        revoked.skipped,
        vec![(
            "joined@example.com has already accepted this invitation.".to_string(),
            1
        )]
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM invites WHERE status = 'revoked'"
        )
        .await,
        11
    );
}

#[tokio::test]
async fn a_bulk_action_counts_its_items_batch_by_batch_under_the_key_the_browser_gave() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let ids = learners(&app, "many", 1_200).await;
    let academy_id = app.academy_id("acme").await;

    // The engine counts every batch it commits on the action's ticket.
    let ticket = app
        .state
        .bulk_progress
        .start(academy_id, "engine-key", ids.len());
    let outcomes = app.bulk_deactivate(academy_id, &ids, Some(&ticket)).await;
    assert_eq!(outcomes.len(), 1_200);
    assert_eq!(
        app.state.bulk_progress.of(academy_id, "engine-key"),
        Some(app::model::bulk::BulkCount {
            done: 1_200,
            total: 1_200
        })
    );
    drop(ticket);

    // Through the browser's call: nothing is counted before or after the action (its answer says
    // what came of it), and a key that is not one is refused before anything changes.
    let progress = |key: &'static str| {
        let app = &app;
        let owner = &owner;
        async move {
            let res = app.call(owner, "bulk_progress", &[("key", key)]).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            res.json::<Option<app::model::bulk::BulkCount>>()
                .await
                .unwrap()
        }
    };
    assert_eq!(progress("browser-key-1").await, None);
    let res = app
        .call_json(
            &owner,
            "bulk_learners",
            json!({"selection": matching::<UserId>("many", "deactivated"), "action": "GiveAccess", "key": "browser-key-1"}),
        )
        .await;
    assert_eq!(summary(res).await.done, 1_200);
    assert_eq!(progress("browser-key-1").await, None);
    let res = app
        .call_json(
            &owner,
            "bulk_learners",
            json!({"selection": matching::<UserId>("many", ""), "action": "RevokeAccess", "key": "no spaces!"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The action's key must be")
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE status = 'deactivated'"
        )
        .await,
        0
    );
}
