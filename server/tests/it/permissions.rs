//! The permission matrix, walked: every server function the router serves (the list comes from the
//! registry the router is built from, so a new endpoint cannot be missed) is called by every role,
//! by a visitor who is signed out, and by the owner of another academy. Every admin page the route
//! table holds is opened by every role too.
//!
//! Roles are checked with ids that do not exist: a role that may act gets past the check (and then
//! "not found" or a validation error), a role that may not gets 403 — so an endpoint that forgot its
//! check answers 404 where 403 is expected, and this test fails. The other academy's owner passes
//! every check and is given this academy's real ids: nothing of this academy may appear in any
//! answer, and nothing of it may change. The same walk then sends every string argument hostile
//! text (a 100,000-character paste, control characters, invisible characters, `%` runs, emoji):
//! no answer may be a 5xx.

use crate::common;
use app::domain::{Permission, Role, TeamId};

use std::collections::BTreeSet;

use common::{OWNER_EMAIL, TestApp};
use reqwest::Client;
use serde_json::json;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Anyone, signed in or not: setup, sign-in and sign-up, the academy's public face.
    Public,
    /// A signed-in member of the academy whose role holds the permission.
    Needs(Permission),
}

/// How the endpoint takes its arguments. `{team}`, `{invite}`, `{user}`, … stand for ids: an id
/// that exists nowhere for the role walk, the first academy's real id for the other academy.
#[derive(Clone, Copy, Debug)]
enum Args {
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
}

use Access::{Needs, Public};
use Args::{Form, Json};
use Permission::*;

/// Every server function: the permission it needs and arguments that get past decoding.
const ENDPOINTS: &[(&str, Access, Args)] = &[
    // accounts.rs
    ("where_to_start", Public, Form(&[])),
    ("create_first_academy", Public, Form(&[])),
    ("load_academy", Public, Form(&[("slug", "alpha")])),
    ("sign_in", Public, Form(&[])),
    ("sign_out", Public, Form(&[])),
    (
        "view_as_learner",
        Needs(ManageSettings),
        Form(&[("on", "false")]),
    ),
    ("my_teams", Needs(Learn), Form(&[])),
    // join.rs
    ("join_info", Public, Form(&[])),
    ("join", Public, Form(&[])),
    ("sign_up", Public, Form(&[])),
    ("confirm_sign_up", Public, Form(&[])),
    (
        "set_signup_confirmation",
        Needs(ManageSettings),
        Form(&[("on", "false")]),
    ),
    // settings.rs
    (
        "change_plan",
        Needs(ManagePlan),
        Form(&[("plan", "business")]),
    ),
    // invites.rs
    (
        "invite_learners",
        Needs(ManageLearners),
        Json(
            r#"{"people":[{"email":"probe@example.com","first_name":"Pro","last_name":"Be"}],
                "role":"learner","team_ids":[{team}],"send_email":false}"#,
        ),
    ),
    (
        "list_invites",
        Needs(ManageLearners),
        Json(r#"{"query":{"search":"","filter":"","page":1}}"#),
    ),
    (
        "list_learners",
        Needs(ManageLearners),
        Json(r#"{"query":{"search":"","filter":"","page":1}}"#),
    ),
    ("list_teams", Needs(ManageLearners), Form(&[])),
    (
        "resend_invite",
        Needs(ManageLearners),
        Form(&[("invite_id", "{invite}")]),
    ),
    (
        "revoke_invite",
        Needs(ManageLearners),
        Form(&[("invite_id", "{invite}")]),
    ),
    (
        "invite_link",
        Needs(ManageLearners),
        Form(&[("invite_id", "{invite}")]),
    ),
    // learners.rs
    (
        "change_learner_role",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}"), ("role", "learner_analyst")]),
    ),
    (
        "remove_learner",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}")]),
    ),
    (
        "deactivate_learner",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}")]),
    ),
    (
        "reactivate_learner",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}")]),
    ),
    // settings.rs (the invitation lifecycle)
    (
        "set_invite_lifecycle",
        Needs(ManageSettings),
        Form(&[("expiry_days", "14"), ("reminder_days", "3")]),
    ),
    (
        "set_invite_message",
        Needs(ManageSettings),
        Form(&[("message", "Welcome aboard")]),
    ),
    ("invite_message_default", Needs(ManageLearners), Form(&[])),
    (
        "preview_invite_email",
        Needs(ManageLearners),
        Form(&[("message", "Welcome aboard")]),
    ),
    // bulk.rs
    (
        "bulk_learners",
        Needs(ManageLearners),
        Json(r#"{"selection":{"Rows":[{user}]},"action":"GiveAccess"}"#),
    ),
    (
        "bulk_progress",
        Needs(ManageLearners),
        Form(&[("key", "probe-key-1")]),
    ),
    (
        "bulk_invites",
        Needs(ManageLearners),
        Json(r#"{"selection":{"Rows":[{invite}]},"action":"Resend"}"#),
    ),
    // learner_page.rs
    (
        "learner_details",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}")]),
    ),
    (
        "update_learner",
        Needs(ManageLearners),
        Form(&[
            ("user_id", "{user}"),
            ("first_name", "Zed"),
            ("last_name", "Zebra"),
            ("email", "zebra.learner@example.com"),
        ]),
    ),
    // imports.rs
    ("import_caps", Needs(ManageLearners), Form(&[])),
    (
        "lookup_emails",
        Needs(ManageLearners),
        Json(r#"{"emails":["zebra.learner@example.com"]}"#),
    ),
    (
        "start_import",
        Needs(ManageLearners),
        Json(
            r#"{"key":"probe-{role}","file_name":"probe.csv","total_rows":1,"role":"learner",
                "team_ids":[{team}],"send_email":false}"#,
        ),
    ),
    (
        "import_chunk",
        Needs(ManageLearners),
        Json(
            r#"{"import_id":{import},"lines":[{"line":2,"person":
                {"email":"probe2@example.com","first_name":"Pro","last_name":"Be"}}]}"#,
        ),
    ),
    (
        "finish_import",
        Needs(ManageLearners),
        Form(&[("import_id", "{import}")]),
    ),
    ("list_imports", Needs(ManageLearners), Form(&[])),
    (
        "import_report",
        Needs(ManageLearners),
        Form(&[("import_id", "{import}")]),
    ),
    // teams.rs
    (
        "list_team_summaries",
        Needs(ManageLearners),
        Json(r#"{"query":{"search":"","filter":"","page":1}}"#),
    ),
    (
        "get_team",
        Needs(ManageLearners),
        Form(&[("team_id", "{team}")]),
    ),
    (
        "create_team",
        Needs(ManageLearners),
        Form(&[("name", "Probe {role}"), ("color", "blue")]),
    ),
    (
        "update_team",
        Needs(ManageLearners),
        Form(&[
            ("team_id", "{team}"),
            ("name", "Renamed"),
            ("color", "blue"),
        ]),
    ),
    (
        "delete_team",
        Needs(ManageLearners),
        Form(&[("team_id", "{team}")]),
    ),
    (
        "list_team_members",
        Needs(ManageLearners),
        Json(r#"{"team_id":{team},"query":{"search":"","filter":"","page":1}}"#),
    ),
    (
        "team_candidates",
        Needs(ManageLearners),
        Form(&[("team_id", "{team}"), ("search", "")]),
    ),
    (
        "add_team_members",
        Needs(ManageLearners),
        Json(r#"{"team_id":{team},"user_ids":[{user}]}"#),
    ),
    (
        "remove_team_member",
        Needs(ManageLearners),
        Form(&[("team_id", "{team}"), ("user_id", "{user}")]),
    ),
    // api_clients.rs
    ("list_api_clients", Needs(ManageIntegrations), Form(&[])),
    (
        "register_api_client",
        Needs(ManageIntegrations),
        Json(r#"{"name":"Probe {role}","callback_uri":""}"#),
    ),
    (
        "rename_api_client",
        Needs(ManageIntegrations),
        Form(&[("id", "{client}"), ("name", "Renamed")]),
    ),
    (
        "revoke_api_client",
        Needs(ManageIntegrations),
        Form(&[("id", "{client}")]),
    ),
    // webhooks.rs
    ("list_webhooks", Needs(ManageIntegrations), Form(&[])),
    (
        "create_webhook",
        Needs(ManageIntegrations),
        Json(r#"{"url":"https://probe.example.com/{role}","events":["invite.accepted"]}"#),
    ),
    (
        "webhook_secret",
        Needs(ManageIntegrations),
        Form(&[("webhook_id", "{webhook}")]),
    ),
    (
        "delete_webhook",
        Needs(ManageIntegrations),
        Form(&[("webhook_id", "{webhook}")]),
    ),
    (
        "send_test_webhook",
        Needs(ManageIntegrations),
        Form(&[("webhook_id", "{webhook}")]),
    ),
    (
        "list_webhook_deliveries",
        Needs(ManageIntegrations),
        Form(&[("webhook_id", "{webhook}")]),
    ),
    // password.rs
    ("forgot_password", Public, Form(&[])),
    ("load_reset_link", Public, Form(&[])),
    ("reset_password", Public, Form(&[])),
    // Like sign_out: signed out, it only leads to the sign-in page.
    ("sign_out_everywhere", Public, Form(&[])),
    (
        "change_password",
        Needs(Learn),
        Form(&[
            ("slug", "alpha"),
            ("current_password", "not the password"),
            ("password", "a new password 2026"),
        ]),
    ),
    (
        "send_password_reset",
        Needs(ManageLearners),
        Form(&[("user_id", "{user}")]),
    ),
    // access_requests.rs
    ("request_access", Public, Form(&[])),
    (
        "list_access_requests",
        Needs(ManageLearners),
        Form(&[("status", "pending")]),
    ),
    (
        "approve_access_request",
        Needs(ManageLearners),
        Json(r#"{"request_id":{request},"role":"learner","team_ids":[{team}]}"#),
    ),
    (
        "decline_access_request",
        Needs(ManageLearners),
        Form(&[("request_id", "{request}")]),
    ),
    ("load_access_settings", Needs(ManageSettings), Form(&[])),
    (
        "set_visibility",
        Needs(ManageSettings),
        Form(&[("visibility", "private")]),
    ),
    (
        "set_access_request_emails",
        Needs(ManageSettings),
        Form(&[("on", "true")]),
    ),
    // audit.rs
    ("list_audit", Needs(ViewAuditLog), Json(r#"{"query":{}}"#)),
    ("audit_people", Needs(ViewAuditLog), Form(&[])),
    ("export_audit", Needs(ViewAuditLog), Json(r#"{"query":{}}"#)),
    // courses.rs
    (
        "list_courses",
        Needs(ManageCourses),
        Json(r#"{"query":{"search":"","filter":"","page":1}}"#),
    ),
    (
        "get_course",
        Needs(ManageCourses),
        Form(&[("course_id", "{course}")]),
    ),
    ("course_team_choices", Needs(ManageCourses), Form(&[])),
    (
        "create_course",
        Needs(ManageCourses),
        Json(
            r#"{"course":{"title":"Probe {role}","description":"","published":false,"for_everyone":true,"team_ids":[]}}"#,
        ),
    ),
    (
        "update_course",
        Needs(ManageCourses),
        Json(
            r#"{"course_id":{course},"course":{"title":"Renamed","description":"","published":true,"for_everyone":true,"team_ids":[]}}"#,
        ),
    ),
    (
        "publish_course",
        Needs(ManageCourses),
        Form(&[("course_id", "{course}"), ("published", "false")]),
    ),
    (
        "delete_course",
        Needs(ManageCourses),
        Form(&[("course_id", "{course}")]),
    ),
    ("my_courses", Needs(Learn), Form(&[])),
    // staff.rs
    ("list_staff", Needs(ManageStaff), Form(&[])),
    (
        "invite_admin",
        Needs(ManageStaff),
        Form(&[
            ("email", "probe.admin.{role}@example.com"),
            ("first_name", "Pro"),
        ]),
    ),
    (
        "resend_admin_invite",
        Needs(ManageStaff),
        Form(&[("invite_id", "{admin_invite}")]),
    ),
    (
        "revoke_admin_invite",
        Needs(ManageStaff),
        Form(&[("invite_id", "{admin_invite}")]),
    ),
    (
        "remove_admin",
        Needs(RemoveStaff),
        Form(&[("user_id", "{admin}")]),
    ),
    // statistics.rs
    (
        "get_statistics",
        Needs(ViewStatistics),
        Json(r#"{"filter":{"team":"{team}","from":"","to":""}}"#),
    ),
    (
        "export_statistics",
        Needs(ViewStatistics),
        Json(r#"{"filter":{"team":"","from":"","to":""}}"#),
    ),
];

/// Every page under `/a/:slug/admin` and who may open it.
const ADMIN_PAGES: &[(&str, Permission)] = &[
    ("/a/{slug}/admin", ViewStatistics),
    ("/a/{slug}/admin/learners", ManageLearners),
    ("/a/{slug}/admin/learners/{user_id}", ManageLearners),
    ("/a/{slug}/admin/teams", ManageLearners),
    ("/a/{slug}/admin/teams/{team_id}", ManageLearners),
    ("/a/{slug}/admin/courses", ManageCourses),
    ("/a/{slug}/admin/courses/{course_id}", ManageCourses),
    ("/a/{slug}/admin/statistics", ViewStatistics),
    ("/a/{slug}/admin/settings", ManageSettings),
    ("/a/{slug}/admin/audit", ViewAuditLog),
];

/// An id no academy has.
const NOWHERE: &str = "987654321";

/// The ids the placeholders stand for.
#[derive(Clone, Debug, Default)]
struct Ids {
    team: i64,
    invite: i64,
    user: i64,
    import: i64,
    client: i64,
    webhook: i64,
    course: i64,
    request: i64,
    admin: i64,
    admin_invite: i64,
}

impl Ids {
    fn fill(&self, template: &str, role: &str) -> String {
        let id = |v: i64| {
            if v == 0 {
                NOWHERE.to_owned()
            } else {
                v.to_string()
            }
        };
        template
            .replace("{team}", &id(self.team))
            .replace("{invite}", &id(self.invite))
            .replace("{user}", &id(self.user))
            .replace("{import}", &id(self.import))
            .replace("{client}", &id(self.client))
            .replace("{webhook}", &id(self.webhook))
            .replace("{course}", &id(self.course))
            .replace("{request}", &id(self.request))
            .replace("{admin_invite}", &id(self.admin_invite))
            .replace("{admin}", &id(self.admin))
            .replace("{role}", role)
    }
}

async fn probe(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    args: Args,
    ids: &Ids,
    who: &str,
) -> (u16, String) {
    let res = match args {
        Form(pairs) => {
            let filled: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), ids.fill(v, who)))
                .collect();
            let borrowed: Vec<(&str, &str)> = filled
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.call(client, endpoint, &borrowed).await
        }
        Json(template) => {
            let body: serde_json::Value = serde_json::from_str(&ids.fill(template, who))
                .unwrap_or_else(|e| panic!("{endpoint}: bad JSON template: {e}"));
            app.call_json(client, endpoint, body).await
        }
    };
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// The academy "alpha" with one of everything, named "Zebra…" so a leak is easy to see.
struct Alpha {
    owner: Client,
    members: Vec<(Role, Client)>,
    ids: Ids,
}

async fn alpha(app: &TestApp) -> Alpha {
    let owner = app.create_first_academy("alpha").await;
    let res = app
        .call(&owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .call(
            &owner,
            "create_team",
            &[("name", "Zebra Team"), ("color", "blue")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let team: serde_json::Value = res.json().await.unwrap();
    let team = TeamId::new(team["id"].as_i64().expect("team id"));
    let mut members = Vec::new();
    for (role, email) in [
        (Role::LearnerAdmin, "zebra.learner.admin@example.com"),
        (Role::LearnerAnalyst, "zebra.analyst@example.com"),
        (Role::Learner, "zebra.learner@example.com"),
    ] {
        let (client, _) = app
            .registered_learner(&owner, "alpha", email, role, &[team])
            .await;
        members.push((role, client));
    }
    members.push((Role::Admin, administrator(app).await));
    let user = app
        .user_id("alpha", "zebra.learner@example.com")
        .await
        .unwrap();
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "zebra.pending@example.com", "first_name": "Zed", "last_name": "Pending"}],
                   "role": "learner", "team_ids": [team], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let invite = scalar(
        app,
        "SELECT id FROM invites WHERE email = 'zebra.pending@example.com'",
    )
    .await;
    let res = app
        .call_json(
            &owner,
            "start_import",
            json!({"key": "zebra-import", "file_name": "zebra.csv", "total_rows": 1, "role": "learner",
                   "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let import = scalar(app, "SELECT id FROM imports WHERE file_name = 'zebra.csv'").await;
    let res = app
        .call_json(
            &owner,
            "register_api_client",
            json!({"name": "Zebra App", "callback_uri": ""}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let client = scalar(app, "SELECT id FROM api_clients WHERE name = 'Zebra App'").await;
    let res = app
        .call_json(
            &owner,
            "create_webhook",
            json!({"url": "https://zebra.example.com/hook", "events": ["invite.accepted"]}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let webhook = scalar(
        app,
        "SELECT id FROM webhooks WHERE url = 'https://zebra.example.com/hook'",
    )
    .await;
    let res = app
        .call_json(
            &owner,
            "create_course",
            json!({"course": {"title": "Zebra Course", "description": "Stripes", "published": true,
                              "for_everyone": false, "team_ids": [team]}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let course = scalar(app, "SELECT id FROM courses WHERE title = 'Zebra Course'").await;
    let res = app
        .call(
            &app.browser(),
            "request_access",
            &[
                ("slug", "alpha"),
                ("email", "zebra.request@example.com"),
                ("first_name", "Zed"),
                ("last_name", "Request"),
                ("message", "Zebra stripes, please"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let request = scalar(
        app,
        "SELECT id FROM access_requests WHERE email = 'zebra.request@example.com'",
    )
    .await;
    let res = app
        .call(
            &owner,
            "invite_admin",
            &[
                ("email", "zebra.admin.invited@example.com"),
                ("first_name", "Zed"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let admin_invite = scalar(
        app,
        "SELECT id FROM invites WHERE email = 'zebra.admin.invited@example.com'",
    )
    .await;
    let admin = scalar(
        app,
        "SELECT id FROM users WHERE email = 'zebra.admin@example.com'",
    )
    .await;
    Alpha {
        owner,
        members,
        ids: Ids {
            team: team.get(),
            invite,
            user: user.get(),
            import,
            client,
            webhook,
            course,
            request,
            admin,
            admin_invite,
        },
    }
}

async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// An Administrator of "alpha": the Owner's row copied with another email and role (the way in for
/// administrators is tested in staff.rs), then signed in with the Owner's password.
async fn administrator(app: &TestApp) -> Client {
    sqlx::query(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, password_hash, status, created_at) \
         SELECT academy_id, 'zebra.admin@example.com', 'Zed', 'Admin', 'admin', password_hash, status, created_at \
         FROM users WHERE email = $1",
    )
    .bind(OWNER_EMAIL)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let client = app.browser();
    let res = app
        .sign_in(
            &client,
            "alpha",
            "zebra.admin@example.com",
            common::OWNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    client
}

/// Everything of "alpha" a foreign call could change, as text.
async fn fingerprint(app: &TestApp) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT name || ':' || color FROM teams WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT email || ':' || role || ':' || status FROM users WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT email || ':' || status FROM invites WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT CAST(team_id AS TEXT) || ':' || CAST(user_id AS TEXT) FROM team_members WHERE team_id IN (SELECT id FROM teams WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha')) ORDER BY team_id, user_id",
        "SELECT name || ':' || CASE WHEN revoked_at IS NULL THEN 'live' ELSE 'revoked' END FROM api_clients WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT url FROM webhooks WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT title || ':' || CAST(published AS TEXT) || ':' || CAST(for_everyone AS TEXT) FROM courses WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT CAST(course_id AS TEXT) || ':' || CAST(team_id AS TEXT) FROM course_teams WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY course_id, team_id",
        "SELECT email || ':' || status FROM access_requests WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
        "SELECT plan || ':' || visibility || ':' || CAST(notify_access_requests AS TEXT) FROM academies WHERE id = (SELECT id FROM academies WHERE slug = 'alpha')",
        "SELECT file_name || ':' || CAST(invited AS TEXT) || ':' || CASE WHEN finished_at IS NULL THEN 'open' ELSE 'done' END FROM imports WHERE academy_id = (SELECT id FROM academies WHERE slug = 'alpha') ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        out.push_str(&format!("{sql}\n{}\n", rows.join("\n")));
    }
    out
}

fn registered_paths() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect()
}

#[tokio::test]
async fn the_matrix_lists_every_server_function_the_router_serves() {
    let _app = TestApp::spawn().await;
    let listed: BTreeSet<String> = ENDPOINTS.iter().map(|(e, _, _)| (*e).to_owned()).collect();
    let served = registered_paths();
    let unlisted: Vec<_> = served.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&served).collect();
    assert!(
        unlisted.is_empty(),
        "served but not in the matrix test (add each with its Permission): {unlisted:?}"
    );
    assert!(
        gone.is_empty(),
        "in the matrix test but not served: {gone:?}"
    );
    assert_eq!(listed.len(), ENDPOINTS.len(), "an endpoint is listed twice");
}

#[tokio::test]
async fn every_role_gets_exactly_what_the_matrix_grants_on_every_server_function() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let mut callers: Vec<(String, Option<Role>, &Client)> = a
        .members
        .iter()
        .map(|(role, client)| (role.as_str().to_owned(), Some(*role), client))
        .collect();
    callers.push(("owner".into(), Some(Role::Owner), &a.owner));
    let visitor = app.browser();
    callers.push(("signed_out".into(), None, &visitor));
    let nowhere = Ids::default();
    let mut wrong = Vec::new();
    for (endpoint, access, args) in ENDPOINTS {
        let Needs(permission) = access else { continue };
        for (who, role, client) in &callers {
            let (status, body) = probe(&app, client, endpoint, *args, &nowhere, who).await;
            let expected_denial = match role {
                None => Some(401),
                Some(r) if !r.can(*permission) => Some(403),
                Some(_) => None,
            };
            let ok = match expected_denial {
                Some(code) => status == code,
                None => status != 401 && status != 403 && status < 500,
            };
            if !ok {
                wrong.push(format!(
                    "{endpoint} as {who}: got {status}, expected {} — {}",
                    expected_denial.map_or("to pass the check".into(), |c| c.to_string()),
                    body.chars().take(160).collect::<String>()
                ));
            }
            if expected_denial == Some(403) && status == 403 {
                assert!(
                    body.contains(permission.refusal()),
                    "{endpoint} as {who}: the refusal names what the role lacks: {body}"
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} calls broke the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn the_owner_of_another_academy_can_neither_see_nor_change_anything_here() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let before = fingerprint(&app).await;
    let olga = app.other_academy("beta").await;
    let mut leaks = Vec::new();
    for (endpoint, access, args) in ENDPOINTS {
        if matches!(access, Public) {
            continue;
        }
        let (status, body) = probe(&app, &olga, endpoint, *args, &a.ids, "olga").await;
        if body.to_lowercase().contains("zebra") || status >= 500 {
            leaks.push(format!(
                "{endpoint}: {status} {}",
                body.chars().take(200).collect::<String>()
            ));
        }
    }
    assert!(
        leaks.is_empty(),
        "another academy saw this one's data:\n{}",
        leaks.join("\n")
    );
    assert_eq!(
        fingerprint(&app).await,
        before,
        "another academy changed this one"
    );
}

#[tokio::test]
async fn every_admin_page_opens_for_the_roles_the_matrix_grants_and_sends_the_others_away() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let routes: BTreeSet<String> = server::route_list()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    let routes: BTreeSet<String> = routes
        .into_iter()
        .filter(|p| p.starts_with("/a/{slug}/admin"))
        .collect();
    let listed: BTreeSet<String> = ADMIN_PAGES.iter().map(|(p, _)| (*p).to_owned()).collect();
    assert_eq!(routes, listed, "every admin route is in ADMIN_PAGES");
    let mut callers: Vec<(Role, &Client)> = a.members.iter().map(|(r, c)| (*r, c)).collect();
    callers.push((Role::Owner, &a.owner));
    let mut wrong = Vec::new();
    for (page, permission) in ADMIN_PAGES {
        let path = page
            .replace("{slug}", "alpha")
            .replace("{team_id}", &a.ids.team.to_string())
            .replace("{user_id}", &a.ids.user.to_string())
            .replace("{course_id}", NOWHERE);
        let visitor = app.browser();
        let res = app.get(&visitor, &path).await;
        if res.status() != 302 {
            wrong.push(format!("{path} signed out: {}", res.status()));
        }
        for (role, client) in &callers {
            let res = app.get(client, &path).await;
            let status = res.status().as_u16();
            // The admin home redirects everyone to their first section.
            let expected = if *page == "/a/{slug}/admin" || !role.can(*permission) {
                302
            } else {
                200
            };
            if status != expected {
                wrong.push(format!("{path} as {role:?}: {status}, expected {expected}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_page_a_role_may_not_open_sends_it_away_with_the_reason_on_the_page_it_lands_on() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let (_, analyst) = a
        .members
        .iter()
        .find(|(r, _)| *r == Role::LearnerAnalyst)
        .expect("a Learner-Analyst");
    let res = app.get(analyst, "/a/alpha/admin/settings").await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, "/a/alpha/admin/statistics?denied=ManageSettings");
    let html = app.get(analyst, &to).await.text().await.unwrap();
    assert!(
        html.contains("That page is not open to you: Only the academy&#x27;s Owner and Administrators can change its settings.")
            || html.contains("That page is not open to you: Only the academy's Owner and Administrators can change its settings."),
        "{html}"
    );
    let (_, learner) = a
        .members
        .iter()
        .find(|(r, _)| *r == Role::Learner)
        .expect("a Learner");
    let res = app.get(learner, "/a/alpha/admin/courses").await;
    assert_eq!(res.status(), 302);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let html = app.get(learner, &to).await.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"denied-notice\""),
        "{to}: {html}"
    );
}

#[tokio::test]
async fn a_browser_session_of_any_role_never_authenticates_the_json_api() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let mut callers: Vec<&Client> = a.members.iter().map(|(_, c)| c).collect();
    callers.push(&a.owner);
    for client in callers {
        let res = client
            .post(format!("{}/api/v1", app.base))
            .json(&json!({"action": "getTeams", "options": {}}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let body = res.text().await.unwrap();
        assert!(!body.to_lowercase().contains("zebra"), "{body}");
    }
}

/// What people paste into text fields, and worse: a document, control characters and NUL,
/// invisible characters, runs of LIKE's wildcard, emoji, a line break, quotes.
fn hostile_strings() -> Vec<String> {
    vec![
        "x".repeat(100_000),
        "\u{0}\u{1}\u{7}\u{1b}[31m\u{7f}".into(),
        "\u{200b}\u{feff}\u{202e}".repeat(300),
        "%".repeat(25_000),
        "😀".repeat(13_000),
        "a\r\nb\"c';--".into(),
    ]
}

/// Every string in a JSON value, one at a time, replaced by `with`: one body per string leaf.
fn each_string_replaced(v: &serde_json::Value, with: &str) -> Vec<serde_json::Value> {
    use serde_json::Value;
    match v {
        Value::String(_) => vec![Value::String(with.to_owned())],
        Value::Array(items) => (0..items.len())
            .flat_map(|i| {
                each_string_replaced(&items[i], with)
                    .into_iter()
                    .map(move |item| {
                        let mut copy = items.clone();
                        copy[i] = item;
                        Value::Array(copy)
                    })
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, child)| {
                each_string_replaced(child, with)
                    .into_iter()
                    .map(move |item| {
                        let mut copy = map.clone();
                        copy.insert(k.clone(), item);
                        Value::Object(copy)
                    })
            })
            .collect(),
        _ => vec![],
    }
}

#[tokio::test]
async fn no_server_function_answers_5xx_to_hostile_text_in_any_of_its_arguments() {
    let app = TestApp::spawn().await;
    let a = alpha(&app).await;
    let visitor = app.browser();
    // The owner goes deepest (every check passes, real ids); calls that would end the owner's
    // session are made by the visitor only.
    let ends_the_session = ["sign_out", "sign_out_everywhere", "change_password"];
    let mut failures = Vec::new();
    let mut calls = 0;
    for (endpoint, _, args) in ENDPOINTS {
        let callers: Vec<(&str, &Client)> = if ends_the_session.contains(endpoint) {
            vec![("signed_out", &visitor)]
        } else {
            vec![("owner", &a.owner), ("signed_out", &visitor)]
        };
        for hostile in hostile_strings() {
            for (who, client) in &callers {
                let bodies: Vec<Result<Vec<(String, String)>, serde_json::Value>> = match args {
                    Form(pairs) => (0..pairs.len())
                        .map(|i| {
                            Ok(pairs
                                .iter()
                                .enumerate()
                                .map(|(j, (k, v))| {
                                    let v = if i == j {
                                        hostile.clone()
                                    } else {
                                        a.ids.fill(v, who)
                                    };
                                    ((*k).to_owned(), v)
                                })
                                .collect())
                        })
                        .collect(),
                    Json(template) => {
                        let filled: serde_json::Value =
                            serde_json::from_str(&a.ids.fill(template, who)).unwrap();
                        each_string_replaced(&filled, &hostile)
                            .into_iter()
                            .map(Err)
                            .collect()
                    }
                };
                for body in bodies {
                    let res = match &body {
                        Ok(pairs) => {
                            let borrowed: Vec<(&str, &str)> = pairs
                                .iter()
                                .map(|(k, v)| (k.as_str(), v.as_str()))
                                .collect();
                            app.call(client, endpoint, &borrowed).await
                        }
                        Err(json) => app.call_json(client, endpoint, json.clone()).await,
                    };
                    calls += 1;
                    let status = res.status().as_u16();
                    if status >= 500 {
                        let text = res.text().await.unwrap_or_default();
                        failures.push(format!(
                            "{endpoint} as {who} with {:?}…: {status} {}",
                            hostile.chars().take(12).collect::<String>(),
                            text.chars().take(160).collect::<String>()
                        ));
                    }
                }
            }
        }
    }
    assert!(calls > 500, "the walk made {calls} calls");
    assert!(
        failures.is_empty(),
        "{} of {calls} calls answered 5xx:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
