//! "Upload CSV File" on the server: chunks of ready rows re-checked with the same code as the
//! browser's preview, committed in batches, idempotent when retried — on SQLite or PostgreSQL.

use crate::common;
use app::domain::{ImportId, TeamId};

use app::{
    domain::role::Role,
    model::{ImportLineResult, ImportSummary, InviteOutcome, KnownEmails},
};
use common::{TestApp, error_of};
use reqwest::Client;
use serde_json::{Value, json};

fn line(line: u32, email: &str, first: &str, last: &str) -> Value {
    json!({"line": line, "person": {"email": email, "first_name": first, "last_name": last}})
}

async fn start(
    app: &TestApp,
    client: &Client,
    key: &str,
    total: usize,
    teams: &[TeamId],
    send: bool,
) -> reqwest::Response {
    app.call_json(
        client,
        "start_import",
        json!({"key": key, "file_name": "people.csv", "total_rows": total, "role": "learner",
               "team_ids": teams, "send_email": send}),
    )
    .await
}

async fn started(
    app: &TestApp,
    client: &Client,
    key: &str,
    total: usize,
    teams: &[TeamId],
    send: bool,
) -> ImportId {
    let res = start(app, client, key, total, teams, send).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn chunk(
    app: &TestApp,
    client: &Client,
    import: ImportId,
    lines: Vec<Value>,
) -> reqwest::Response {
    app.call_json(
        client,
        "import_chunk",
        json!({"import_id": import, "lines": lines}),
    )
    .await
}

async fn chunk_ok(
    app: &TestApp,
    client: &Client,
    import: ImportId,
    lines: Vec<Value>,
) -> Vec<ImportLineResult> {
    let res = chunk(app, client, import, lines).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn finish(app: &TestApp, client: &Client, import: ImportId) -> ImportSummary {
    let res = app
        .call(
            client,
            "finish_import",
            &[("import_id", &import.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_upload_in_chunks_invites_every_ready_row_and_reports_each_line() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let import = started(&app, &owner, "upload-0001", 5, &[], true).await;
    let first = chunk_ok(
        &app,
        &owner,
        import,
        vec![
            line(2, "Ann.Lee@Example.com", "Ann", "Lee"),
            line(3, "bob@example.com", "=cmd()", "Builder"),
        ],
    )
    .await;
    assert!(
        first
            .iter()
            .all(|r| matches!(r.outcome, InviteOutcome::Invited { .. })),
        "{first:?}"
    );
    assert_eq!(first[0].email, "ann.lee@example.com");
    // A tampered client sends rows its own preview would have refused: the server checks again.
    let second = chunk_ok(
        &app,
        &owner,
        import,
        vec![
            line(5, "carl@example", "Carl", "Jung"),
            line(6, "ANN.LEE@example.com", "Ann", "Again"),
            line(7, "dora@example.com", "", "Maar"),
            line(8, "eve@example.com", "Eve", "Adams"),
        ],
    )
    .await;
    let outcomes: Vec<String> = second
        .iter()
        .map(|r| match &r.outcome {
            InviteOutcome::Invalid { message } => format!("{}: {message}", r.line),
            other => format!("{}: {other:?}", r.line),
        })
        .collect();
    assert!(
        outcomes[0].starts_with("5: \"carl@example\""),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1], "6: The same address is on line 2");
    assert_eq!(outcomes[2], "7: Enter a first name");
    assert!(outcomes[3].starts_with("8: Invited"), "{outcomes:?}");

    let summary = finish(&app, &owner, import).await;
    assert_eq!(
        (
            summary.invited,
            summary.updated,
            summary.existing,
            summary.skipped
        ),
        (3, 0, 0, 3)
    );
    assert_eq!(summary.created_by, "Ada Lovelace");
    assert!(summary.finished_at.is_some());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE source = 'csv'")
            .await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox").await,
        3,
        "one email each"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invites WHERE email_status = 'queued' OR email_status = 'sent'"
        )
        .await,
        3
    );

    let res = app
        .call(
            &owner,
            "import_report",
            &[("import_id", &import.to_string())],
        )
        .await;
    let report: String = res.json().await.unwrap();
    assert!(
        report.starts_with("\u{feff}Line,Email address,First name,Last name,Result,Details\r\n")
    );
    assert!(
        report.contains("3,bob@example.com,'=cmd(),Builder,Invited,"),
        "formula neutralised: {report}"
    );
    assert!(
        report.contains("6,ANN.LEE@example.com,Ann,Again,Skipped,The same address is on line 2"),
        "{report}"
    );

    let res = app.call(&owner, "list_imports", &[]).await;
    let history: Vec<ImportSummary> = res.json().await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].file_name, "people.csv");
    let res = chunk(
        &app,
        &owner,
        import,
        vec![line(9, "late@example.com", "Late", "")],
    )
    .await;
    assert_eq!(res.status(), 409, "a finished import takes no more rows");
}

#[tokio::test]
async fn the_rows_the_preview_left_out_count_in_the_history_and_the_report_says_why_once() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let left_out = json!([
        {"line": 3, "person": {"email": "bob@@example.com", "first_name": "Bob", "last_name": ""},
         "reason": "\"bob@@example.com\" has more than one @"},
        {"line": 6, "person": {"email": "ann@example.com", "first_name": "Ann", "last_name": "Again"},
         "reason": "Duplicate: the same email address is on line 2"}
    ]);
    let body = json!({"key": "k-left-out-1", "file_name": "five.csv", "total_rows": 3, "role": "learner",
                      "team_ids": [], "send_email": false, "left_out": left_out});
    let res = app.call_json(&owner, "start_import", body.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let import: ImportId = res.json().await.unwrap();
    // Started again (a retry): the left-out rows are not counted twice.
    let res = app.call_json(&owner, "start_import", body).await;
    assert_eq!(res.json::<ImportId>().await.unwrap(), import);
    chunk_ok(
        &app,
        &owner,
        import,
        vec![
            line(2, "ann@example.com", "Ann", "Lee"),
            line(4, "cy@example.com", "Cy", ""),
            line(5, "di@example.com", "Di", ""),
        ],
    )
    .await;
    let summary = finish(&app, &owner, import).await;
    assert_eq!(
        (summary.total_rows, summary.invited, summary.skipped),
        (5, 3, 2)
    );
    let res = app.call(&owner, "list_imports", &[]).await;
    let history: Vec<ImportSummary> = res.json().await.unwrap();
    assert_eq!((history[0].total_rows, history[0].skipped), (5, 2));
    let res = app
        .call(
            &owner,
            "import_report",
            &[("import_id", &import.to_string())],
        )
        .await;
    let report: String = res.json().await.unwrap();
    assert!(
        report.contains("6,ann@example.com,Ann,Again,Skipped,Left out in the preview: Duplicate: the same email address is on line 2"),
        "{report}"
    );
    assert!(
        report.contains(
            "3,bob@@example.com,Bob,,Skipped,\"Left out in the preview: \"\"bob@@example.com\"\" has more than one @\""
        ),
        "{report}"
    );
    assert_eq!(
        report.trim_end().lines().count(),
        6,
        "a header and five lines: {report}"
    );
}

#[tokio::test]
async fn a_retried_chunk_or_a_second_start_creates_no_duplicates() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let import = started(&app, &owner, "upload-retry-1", 2, &[], true).await;
    assert_eq!(
        started(&app, &owner, "upload-retry-1", 2, &[], true).await,
        import,
        "same key, same import"
    );
    let rows = || {
        vec![
            line(2, "ann@example.com", "Ann", "Lee"),
            line(3, "bob@example.com", "Bob", "Builder"),
        ]
    };
    let once = chunk_ok(&app, &owner, import, rows()).await;
    let twice = chunk_ok(&app, &owner, import, rows()).await;
    assert_eq!(once, twice, "the same answer");
    // Two at once, too.
    let (a, b) = tokio::join!(
        chunk(&app, &owner, import, rows()),
        chunk(&app, &owner, import, rows())
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM import_rows").await, 2);
    assert_eq!(finish(&app, &owner, import).await.invited, 2);
}

#[tokio::test]
async fn existing_learners_join_the_chosen_teams_and_pending_invitations_are_renewed() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = app.team(&owner, "Sales").await;
    let (_, _lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    app.call_json(
        &owner,
        "invite_learners",
        json!({"people": [{"email": "pat@example.com", "first_name": "Pat", "last_name": ""}],
               "role": "learner", "team_ids": [], "send_email": false}),
    )
    .await;
    let res = app
        .call_json(&owner, "lookup_emails", json!({"emails": ["LEA@example.com", "pat@example.com", "new@example.com", "not an email"]}))
        .await;
    let known: KnownEmails = res.json().await.unwrap();
    assert_eq!(
        known.accounts,
        [("lea@example.com".to_string(), Role::Learner)]
    );
    assert_eq!(
        known.pending,
        [("pat@example.com".to_string(), Role::Learner)]
    );

    let import = started(&app, &owner, "upload-teams-1", 3, &[sales], false).await;
    let results = chunk_ok(
        &app,
        &owner,
        import,
        vec![
            line(2, "lea@example.com", "Lea", "Learner"),
            line(3, "pat@example.com", "Pat", "Patel"),
            line(4, "new@example.com", "Nia", "New"),
        ],
    )
    .await;
    assert_eq!(
        results[0].outcome,
        InviteOutcome::AlreadyLearner { added_to_teams: 1 }
    );
    assert!(matches!(
        results[1].outcome,
        InviteOutcome::AlreadyInvited { .. }
    ));
    assert!(matches!(results[2].outcome, InviteOutcome::Invited { .. }));
    let members = app
        .count(&format!(
            "SELECT COUNT(*) FROM team_members WHERE team_id = {}",
            sales
        ))
        .await;
    assert_eq!(members, 1);
    let places = app
        .count(&format!(
            "SELECT COUNT(*) FROM invite_teams WHERE team_id = {}",
            sales
        ))
        .await;
    assert_eq!(places, 2, "Pat's renewed invitation and Nia's new one");
    let pat: String =
        sqlx::query_scalar("SELECT last_name FROM invites WHERE email = 'pat@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(pat, "Patel", "renewed with the file's names");
    let summary = finish(&app, &owner, import).await;
    assert_eq!(
        (
            summary.invited,
            summary.updated,
            summary.existing,
            summary.added_to_teams
        ),
        (1, 1, 1, 1)
    );
}

#[tokio::test]
async fn the_server_enforces_the_caps_with_clear_errors() {
    let app = TestApp::spawn_with(|s| s.import_caps.max_rows = 5).await;
    let owner = app.create_first_academy("acme").await;
    let res = start(&app, &owner, "upload-caps-1", 6, &[], false).await;
    assert_eq!(res.status(), 413);
    assert!(
        error_of(res)
            .await
            .to_string()
            .contains("at most 5 can be imported")
    );
    let res = start(&app, &owner, "short", 1, &[], false).await;
    assert_eq!(res.status(), 400, "a bad key");
    let res = start(&app, &owner, "upload-caps-2", 0, &[], false).await;
    assert_eq!(res.status(), 422);
    let import = started(&app, &owner, "upload-caps-3", 5, &[], false).await;
    let too_many: Vec<Value> = (0..5001)
        .map(|i| line(i + 2, &format!("p{i}@example.com"), "P", ""))
        .collect();
    let res = chunk(&app, &owner, import, too_many).await;
    assert_eq!(res.status(), 413);
    let long = "x".repeat(1001);
    let results = chunk_ok(
        &app,
        &owner,
        import,
        vec![line(2, "a@example.com", &long, "")],
    )
    .await;
    assert_eq!(
        results[0].outcome,
        InviteOutcome::Invalid {
            message: "A value in this row is longer than 1,000 characters".into()
        }
    );
    let caps: app::domain::csv_import::Caps = app
        .call(&owner, "import_caps", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(caps.max_rows, 5, "the browser learns the server's caps");
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 0);
}

#[tokio::test]
async fn an_import_of_another_academy_is_not_found_and_learners_cannot_import() {
    let app = TestApp::spawn().await;
    let owner_a = app.create_first_academy("acme").await;
    let owner_b = app.other_academy("beta").await;
    let b_import = started(&app, &owner_b, "upload-beta-1", 1, &[], false).await;
    let res = chunk(
        &app,
        &owner_a,
        b_import,
        vec![line(2, "x@example.com", "X", "")],
    )
    .await;
    assert_eq!(res.status(), 404);
    for endpoint in ["finish_import", "import_report"] {
        let res = app
            .call(&owner_a, endpoint, &[("import_id", &b_import.to_string())])
            .await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
    let res = app.call(&owner_a, "list_imports", &[]).await;
    assert!(res.json::<Vec<ImportSummary>>().await.unwrap().is_empty());
    let (learner, _) = app
        .registered_learner(&owner_a, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = start(&app, &learner, "upload-learner", 1, &[], false).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE academy_id <> 0 AND email = 'x@example.com'")
            .await,
        0
    );
}

#[tokio::test]
async fn ten_thousand_rows_are_imported_end_to_end() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let import = started(&app, &owner, "upload-10k-0001", 10_000, &[], true).await;
    let started_at = std::time::Instant::now();
    for c in 0..10u32 {
        let lines: Vec<Value> = (0..1000u32)
            .map(|i| {
                let n = c * 1000 + i;
                line(
                    n + 2,
                    &format!("learner{n}@example.com"),
                    "Learner",
                    &format!("Number {n}"),
                )
            })
            .collect();
        let results = chunk_ok(&app, &owner, import, lines).await;
        assert!(
            results
                .iter()
                .all(|r| matches!(r.outcome, InviteOutcome::Invited { .. }))
        );
    }
    eprintln!(
        "10,000 rows in 10 chunks: {:?} ({})",
        started_at.elapsed(),
        common::backend_name()
    );
    assert_eq!(finish(&app, &owner, import).await.invited, 10_000);
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 10_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invite_tokens").await,
        10_000
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox").await, 10_000);
}

#[tokio::test]
async fn a_whole_files_addresses_are_looked_up_in_one_call_larger_than_other_requests_may_be() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    app.registered_learner(
        &owner,
        "acme",
        "learner.99999@example.com",
        Role::Learner,
        &[],
    )
    .await;
    // 100,000 addresses: about 2.6 MB of JSON, well over the 1 MB other requests may carry.
    let emails: Vec<String> = (0..100_000)
        .map(|i| format!("learner.{i}@example.com"))
        .collect();
    let body = json!({ "emails": emails });
    assert!(body.to_string().len() > server::MAX_BODY_BYTES * 2);
    let res = app.call_json(&owner, "lookup_emails", body).await;
    assert_eq!(res.status(), 200, "{:?}", error_of(res).await);
    let known: KnownEmails = res.json().await.unwrap();
    assert_eq!(
        known.accounts,
        [("learner.99999@example.com".to_string(), Role::Learner)]
    );

    // Everything else keeps the 1 MB limit: a chunk that large is refused before it is read.
    let import = started(&app, &owner, "upload-big-1", 1, &[], false).await;
    let long = "x".repeat(900);
    let fat: Vec<Value> = (0..1_000)
        .map(|i| line(i + 2, &format!("p{i}@example.com"), &long, &long))
        .collect();
    let res = chunk(&app, &owner, import, fat).await;
    assert_eq!(res.status(), 413);
    assert!(matches!(
        error_of(res).await,
        app::error::AppError::PayloadTooLarge(_)
    ));
}

#[tokio::test]
async fn an_upload_refuses_the_row_of_a_pending_administrator_and_leaves_the_invitation_alone() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app.invite_admin(&owner, "grace@example.com", "Grace").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The preview is told, so it can show the row as refused before anything is sent.
    let res = app
        .call_json(
            &owner,
            "lookup_emails",
            json!({"emails": ["GRACE@example.com", "new@example.com"]}),
        )
        .await;
    let known: KnownEmails = res.json().await.unwrap();
    assert_eq!(
        (known.accounts, known.pending),
        (vec![], vec![("grace@example.com".to_string(), Role::Admin)])
    );

    let import = started(&app, &owner, "upload-admin-1", 2, &[], false).await;
    let results = chunk_ok(
        &app,
        &owner,
        import,
        vec![
            line(2, "grace@example.com", "Gee", "Learner"),
            line(3, "new@example.com", "Nia", "New"),
        ],
    )
    .await;
    assert_eq!(
        results[0].outcome,
        InviteOutcome::Invalid {
            message:
                "grace@example.com has a pending administrator invitation (Settings → Admins)."
                    .into()
        }
    );
    assert!(matches!(results[1].outcome, InviteOutcome::Invited { .. }));
    let grace: String = sqlx::query_scalar(
        "SELECT role || ' ' || first_name || ' ' || last_name FROM invites WHERE email = 'grace@example.com'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(grace, "admin Grace Hopper", "not downgraded nor renamed");
    let summary = finish(&app, &owner, import).await;
    assert_eq!(
        (summary.invited, summary.updated, summary.skipped),
        (1, 0, 1)
    );
}

#[tokio::test]
async fn an_upload_refuses_the_row_of_an_owner_or_administrator_and_puts_them_in_no_team() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = app.team(&owner, "Sales").await;
    // The owner's own address (`common::OWNER_EMAIL`), typed in another case.
    let ada = common::OWNER_EMAIL;

    // The preview learns the account's role, so it shows the row as refused before sending.
    let res = app
        .call_json(
            &owner,
            "lookup_emails",
            json!({"emails": [ada.to_uppercase()]}),
        )
        .await;
    let known: KnownEmails = res.json().await.unwrap();
    assert_eq!(known.accounts, [(ada.to_string(), Role::Owner)]);

    let import = started(&app, &owner, "upload-staff-1", 1, &[sales], false).await;
    let results = chunk_ok(&app, &owner, import, vec![line(2, ada, "Ada", "Lovelace")]).await;
    assert_eq!(
        results[0].outcome,
        InviteOutcome::Invalid {
            message: format!(
                "{ada} is this academy's Owner: staff are not invited as learners (Settings → Admins)."
            )
        }
    );
    let places = app.count("SELECT COUNT(*) FROM team_members").await;
    assert_eq!(
        places, 0,
        "was: added to Sales and reported as Already a learner"
    );
    let summary = finish(&app, &owner, import).await;
    assert_eq!((summary.existing, summary.skipped), (0, 1));
}
