//! "Export CSV" on the All Learners and Invites tabs: every row that matches the search and filter,
//! the tab's columns, a BOM, no formula, and only for an admin of that academy.

use crate::common::TestApp;

use reqwest::Client;
use serde_json::json;

/// The export at `path` as `client` downloads it: (status, content type, disposition, body).
async fn download(app: &TestApp, client: &Client, path: &str) -> (u16, String, String, String) {
    let res = client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (status, kind, disposition) = (
        res.status().as_u16(),
        header("content-type"),
        header("content-disposition"),
    );
    (status, kind, disposition, res.text().await.unwrap())
}

/// The file's lines without the BOM and the last CRLF.
fn lines(body: &str) -> Vec<&str> {
    body.strip_prefix('\u{feff}')
        .expect("the file starts with a BOM")
        .strip_suffix("\r\n")
        .expect("the file ends with CRLF")
        .split("\r\n")
        .collect()
}

#[tokio::test]
async fn exporting_learners_writes_every_matching_learner_with_the_tabs_columns_and_no_formula() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    // More than one page of the export's reads (1,000), newest last.
    let mut people: Vec<_> = (0..2_345)
        .map(|n| {
            (
                format!("person{n}@example.com"),
                "Pat".to_string(),
                format!("N{n}"),
                1_796_083_200_000 + n as i64,
            )
        })
        .collect();
    people.push((
        "zoe@example.com".into(),
        "=HYPERLINK(\"http://evil.example\")".into(),
        "Zoë".into(),
        1_796_083_200_000 + 50_700_000,
    ));
    app.insert_learners("acme", &people).await;

    let (status, kind, disposition, body) =
        download(&app, &owner, "/api/export/learners.csv").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert!(
        disposition.starts_with("attachment; filename=\"learners-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let file = lines(&body);
    assert_eq!(
        file[0],
        "Name,Email,Role,Teams,Registered,Last sign-in,Status"
    );
    assert_eq!(file.len(), 1 + 2_346, "every learner, not a page of them");
    assert_eq!(
        file[1],
        "\"'=HYPERLINK(\"\"http://evil.example\"\") Zoë\",zoe@example.com,Learner,,2026-12-01 14:05,,Active",
        "newest first, as on screen; the formula is neutralised"
    );
    assert_eq!(file[2_346].split(',').nth(1), Some("person0@example.com"));

    let (_, _, _, body) = download(&app, &owner, "/api/export/learners.csv?search=N234").await;
    let found: Vec<&str> = lines(&body)[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        found,
        [
            "person2344@example.com",
            "person2343@example.com",
            "person2342@example.com",
            "person2341@example.com",
            "person2340@example.com",
            "person234@example.com",
        ],
        "the search as on the tab"
    );
}

#[tokio::test]
async fn exporting_invites_follows_the_search_and_the_filter_and_names_the_columns_as_on_screen() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({
                "people": [
                    {"email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"},
                    {"email": "bob@example.com", "first_name": "Bob", "last_name": ""},
                    {"email": "cy@example.com", "first_name": "Cy", "last_name": "Day"},
                ],
                "role": "learner",
                "team_ids": [],
                "send_email": false,
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let bob: i64 = sqlx::query_scalar("SELECT id FROM invites WHERE email = 'bob@example.com'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let res = app
        .call(&owner, "revoke_invite", &[("invite_id", &bob.to_string())])
        .await;
    assert_eq!(res.status(), 200);

    let (status, _, disposition, body) = download(&app, &owner, "/api/export/invites.csv").await;
    assert_eq!(status, 200, "{body}");
    assert!(disposition.contains("invites-"), "{disposition}");
    let all = lines(&body);
    assert_eq!(
        all[0],
        "Email,Name,Role,Teams,Invited,Invited by,Expires,Email Status,Invitation Progress"
    );
    assert_eq!(all.len(), 4);
    assert!(
        all[1].starts_with("cy@example.com,Cy Day,Learner,,"),
        "{}",
        all[1]
    );
    assert!(all[1].contains(",Ada Lovelace,"), "who invited: {}", all[1]);
    assert!(all[1].ends_with(",Not requested,Invited"), "{}", all[1]);

    let (_, _, _, body) = download(&app, &owner, "/api/export/invites.csv?filter=revoked").await;
    let revoked = lines(&body);
    assert_eq!(revoked.len(), 2, "{revoked:?}");
    assert!(revoked[1].starts_with("bob@example.com,Bob,") && revoked[1].ends_with(",Revoked"));

    let (_, _, _, body) = download(
        &app,
        &owner,
        "/api/export/invites.csv?search=LEE&filter=invited",
    )
    .await;
    let found = lines(&body);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[1].starts_with("ann@example.com,"));

    let (status, kind, _, body) =
        download(&app, &owner, "/api/export/invites.csv?filter=everything").await;
    assert_eq!((status, kind.as_str()), (422, "text/plain; charset=utf-8"));
    assert!(
        body.contains("\"everything\""),
        "names the bad filter: {body}"
    );
    let long = "x".repeat(50_000);
    let (status, _, _, body) = download(
        &app,
        &owner,
        &format!("/api/export/learners.csv?search={long}"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("200 characters"), "{body}");
}

#[tokio::test]
async fn only_a_signed_in_admin_exports_and_only_their_own_academys_rows() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (learner, _) = app
        .registered_learner(
            &owner,
            "acme",
            "lea@example.com",
            app::domain::role::Role::Learner,
            &[],
        )
        .await;
    let olga = app.other_academy("other").await;
    app.insert_learners(
        "other",
        &[(
            "stranger@example.com".into(),
            "Sam".into(),
            "Stranger".into(),
            0,
        )],
    )
    .await;

    for list in ["learners", "invites"] {
        let path = format!("/api/export/{list}.csv");
        let (status, _, _, body) = download(&app, &app.browser(), &path).await;
        assert_eq!(status, 401, "nobody signed in: {body}");
        assert!(body.contains("Sign in again"), "{body}");
        let (status, _, _, body) = download(&app, &learner, &path).await;
        assert_eq!(status, 403, "a learner: {body}");

        let (status, _, _, body) = download(&app, &owner, &path).await;
        assert_eq!(status, 200);
        assert!(!body.contains("stranger@example.com"), "{list}: {body}");
        let (_, _, _, body) = download(&app, &olga, &path).await;
        assert!(!body.contains("lea@example.com"), "{list}: {body}");
    }
    let (_, _, _, body) = download(&app, &olga, "/api/export/learners.csv").await;
    assert!(body.contains("stranger@example.com"));
}
