//! Settings → Admins through the real server, on SQLite or PostgreSQL: inviting Administrators with
//! the learners' invitation machinery (email, link, join), keeping those invitations apart from the
//! learners' Invites tab, removing an Administrator (the Owner only), and who may call what.

use crate::common;
use app::domain::{InviteId, UserId};

use std::time::Duration;

use app::{
    domain::role::Role,
    error::AppError,
    model::{
        InviteOutcome, InviteResult, InviteView, Page, UserView,
        staff::{IntegrationKind, StaffOverview},
    },
};
use common::{OWNER_EMAIL, TestApp, error_of, smtp_sink::SmtpSink};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = common::LEARNER_PASSWORD;

async fn invite_admin(app: &TestApp, client: &Client, email: &str, first: &str) -> Response {
    app.invite_admin(client, email, first).await
}

async fn invited(app: &TestApp, client: &Client, email: &str, first: &str) -> InviteOutcome {
    let res = invite_admin(app, client, email, first).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn staff(app: &TestApp, client: &Client) -> StaffOverview {
    let res = app.call(client, "list_staff", &[]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn learners_invites(app: &TestApp, client: &Client) -> Page<InviteView> {
    let res = app
        .call_json(
            client,
            "list_invites",
            json!({"query": {"search": "", "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The id of the pending invitation of `email` in the academy `slug`.
async fn invite_id(app: &TestApp, slug: &str, email: &str) -> InviteId {
    sqlx::query_scalar(
        "SELECT i.id FROM invites i JOIN academies a ON a.id = i.academy_id \
         WHERE a.slug = $1 AND i.email = $2 AND i.status = 'pending'",
    )
    .bind(slug)
    .bind(email)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

async fn invite_role(app: &TestApp, id: InviteId) -> String {
    sqlx::query_scalar("SELECT role FROM invites WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn user_role(app: &TestApp, slug: &str, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT u.role FROM users u JOIN academies a ON a.id = u.academy_id WHERE a.slug = $1 AND u.email = $2",
    )
    .bind(slug)
    .bind(email)
    .fetch_optional(&app.state.db.pool)
    .await
    .unwrap()
}

/// `(target, detail)` of the audit rows with `action`, oldest first.
async fn audit(app: &TestApp, action: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT target, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// An Administrator of `slug`, made directly in the database and signed in.
async fn administrator(app: &TestApp, slug: &str, email: &str, first: &str) -> (Client, UserId) {
    let pw = app::domain::password::Password::parse(PASSWORD).unwrap();
    let hash = app.state.hasher.hash(&pw).await.unwrap();
    let id = app::server::repo::users::insert(
        &app.state.db.pool,
        &app::server::repo::users::NewUser {
            academy_id: app.academy_id(slug).await,
            email,
            first_name: first,
            last_name: "Admin",
            role: Role::Admin,
            password_hash: &hash,
        },
        0,
    )
    .await
    .unwrap();
    let browser = app.browser();
    let res = app.sign_in(&browser, slug, email, PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    (browser, id)
}

fn join_parts(link: &str) -> (String, String) {
    let path = &link[link.find("/a/").expect("a Shoal path")..];
    let parts: Vec<&str> = path.split('/').collect(); // ["", "a", slug, "join", token]
    (parts[2].to_string(), parts[4].to_string())
}

async fn set_business_plan(app: &TestApp, owner: &Client) {
    let res = app
        .call(owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn an_owner_invites_an_administrator_who_joins_with_the_emailed_link_and_runs_the_academy() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;

    let outcome = invited(&app, &owner, " Grace@Example.com ", "Grace").await;
    assert!(
        matches!(outcome, InviteOutcome::Invited { .. }),
        "{outcome:?}"
    );
    let id = invite_id(&app, "acme", "grace@example.com").await;
    assert_eq!(invite_role(&app, id).await, "admin");
    let teams: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invite_teams WHERE invite_id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(teams, 0, "an administrator's invitation joins no teams");

    // Settings → Admins lists it; the learners' Invites tab does not.
    let overview = staff(&app, &owner).await;
    assert_eq!(overview.members.len(), 1);
    assert_eq!(overview.members[0].email, OWNER_EMAIL);
    assert_eq!(overview.members[0].role, Role::Owner);
    assert_eq!(overview.invites.len(), 1);
    assert_eq!(overview.invites[0].email, "grace@example.com");
    assert_eq!(overview.invites[0].invited_by, "Ada Lovelace");
    let learners_tab = learners_invites(&app, &owner).await;
    assert_eq!(learners_tab.total, 0, "{:?}", learners_tab.rows);

    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails[0].rcpt_to, ["grace@example.com"]);
    // The email says what she is invited to be (a learner's says nothing of a role).
    assert_eq!(
        mails[0].header_decoded("Subject").as_deref(),
        Some("Ada Lovelace invited you to Acme Onboarding as an Administrator")
    );
    assert!(
        mails[0]
            .text_body()
            .unwrap_or_default()
            .contains("invited you to join Acme Onboarding as an Administrator on Shoal."),
        "{:?}",
        mails[0].text_body()
    );
    let link = mails[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/join/"))
        .expect("a join link");
    // The email status follows the mail, as on the learners' tab.
    let mut status = String::new();
    for _ in 0..100 {
        status = staff(&app, &owner).await.invites[0]
            .email_status
            .label()
            .to_string();
        if status == "Email Sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "Email Sent");

    let grace = app.browser();
    let (slug, token) = join_parts(&link);
    let res = app
        .call(
            &grace,
            "join",
            &[
                ("slug", slug.as_str()),
                ("token", token.as_str()),
                ("first_name", "Grace"),
                ("last_name", "Hopper"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        user_role(&app, "acme", "grace@example.com")
            .await
            .as_deref(),
        Some("admin")
    );

    // She is an Administrator: Settings, Admins and the audit log are hers.
    let overview = staff(&app, &grace).await;
    assert_eq!(overview.members.len(), 2);
    assert!(overview.invites.is_empty(), "{:?}", overview.invites);
    assert_eq!(overview.members[1].email, "grace@example.com");
    assert_eq!(overview.members[1].role, Role::Admin);
    for page in ["/a/acme/admin/settings?tab=admins", "/a/acme/admin/audit"] {
        let res = app.get(&grace, page).await;
        assert_eq!(res.status(), 200, "{page}");
    }
    let res = app
        .call_json(&grace, "list_audit", json!({"query": {}}))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        audit(&app, "admin.invited").await,
        [("grace@example.com".to_string(), String::new())]
    );
    assert_eq!(
        audit(&app, "invite.accepted").await,
        [("grace@example.com".to_string(), String::new())]
    );
}

#[tokio::test]
async fn an_administrator_can_invite_administrators_too() {
    let app = TestApp::spawn().await;
    let _owner = app.create_first_academy("acme").await;
    let (adam, adam_id) = administrator(&app, "acme", "adam@example.com", "Adam").await;
    let outcome = invited(&app, &adam, "bea@example.com", "Bea").await;
    assert!(
        matches!(outcome, InviteOutcome::Invited { .. }),
        "{outcome:?}"
    );
    let id = invite_id(&app, "acme", "bea@example.com").await;
    assert_eq!(invite_role(&app, id).await, "admin");
    let by: Option<UserId> = sqlx::query_scalar("SELECT invited_by FROM invites WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(by, Some(adam_id));
    assert_eq!(staff(&app, &adam).await.invites[0].invited_by, "Adam Admin");
}

/// Every staff and audit function, with arguments that would work for an Owner.
async fn staff_and_audit_calls(
    app: &TestApp,
    client: &Client,
    invite: InviteId,
    admin: UserId,
) -> Vec<(&'static str, Response)> {
    let invite = invite.to_string();
    let admin = admin.to_string();
    vec![
        ("list_staff", app.call(client, "list_staff", &[]).await),
        (
            "invite_admin",
            invite_admin(app, client, "new@example.com", "New").await,
        ),
        (
            "resend_admin_invite",
            app.call(client, "resend_admin_invite", &[("invite_id", &invite)])
                .await,
        ),
        (
            "revoke_admin_invite",
            app.call(client, "revoke_admin_invite", &[("invite_id", &invite)])
                .await,
        ),
        (
            "remove_admin",
            app.call(client, "remove_admin", &[("user_id", &admin)])
                .await,
        ),
        (
            "list_audit",
            app.call_json(client, "list_audit", json!({"query": {}}))
                .await,
        ),
        ("audit_people", app.call(client, "audit_people", &[]).await),
        (
            "export_audit",
            app.call_json(client, "export_audit", json!({"query": {}}))
                .await,
        ),
    ]
}

#[tokio::test]
async fn learner_admins_analysts_and_learners_are_refused_every_staff_function_and_the_audit_log() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    set_business_plan(&app, &owner).await;
    let (_adam, adam_id) = administrator(&app, "acme", "adam@example.com", "Adam").await;
    invited(&app, &owner, "grace@example.com", "Grace").await;
    let invite = invite_id(&app, "acme", "grace@example.com").await;
    let cases = [
        (Role::LearnerAdmin, "lina@example.com", "/a/acme"),
        (
            Role::LearnerAnalyst,
            "ana@example.com",
            "/a/acme/admin/statistics",
        ),
        (Role::Learner, "lea@example.com", "/a/acme"),
    ];
    for (role, email, landing) in cases {
        let (client, _) = app
            .registered_learner(&owner, "acme", email, role, &[])
            .await;
        for (name, res) in staff_and_audit_calls(&app, &client, invite, adam_id).await {
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role:?} {name}");
            let AppError::Forbidden(message) = error_of(res).await else {
                panic!("{role:?} {name}: not a refusal");
            };
            let expected = if name == "remove_admin" {
                "Only the academy's Owner can remove administrators."
            } else {
                "Only the academy's Owner and Administrators can"
            };
            assert!(message.starts_with(expected), "{role:?} {name}: {message}");
        }
        let res = app.get(&client, "/a/acme/admin/audit").await;
        assert_eq!(res.status(), 302, "{role:?}");
        assert_eq!(crate::common::location_path(&res), landing, "{role:?}");
    }
    // Nothing happened.
    assert_eq!(invite_role(&app, invite).await, "admin");
    assert_eq!(
        user_role(&app, "acme", "adam@example.com").await.as_deref(),
        Some("admin")
    );
    assert!(audit(&app, "admin.removed").await.is_empty());
    assert!(audit(&app, "admin.invite_revoked").await.is_empty());
    assert_eq!(audit(&app, "admin.invited").await.len(), 1);
}

#[tokio::test]
async fn signed_out_callers_get_401_from_staff_functions_and_the_audit_log() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invited(&app, &owner, "grace@example.com", "Grace").await;
    let invite = invite_id(&app, "acme", "grace@example.com").await;
    let stranger = app.browser();
    for (name, res) in staff_and_audit_calls(&app, &stranger, invite, UserId::new(1)).await {
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(error_of(res).await, AppError::Unauthorized, "{name}");
    }
    let res = app.get(&stranger, "/a/acme/admin/audit").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/a/acme/login");
}

#[tokio::test]
async fn the_learner_invite_paths_still_refuse_staff_roles_and_nobody_is_invited_as_owner() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    for role in ["admin", "owner"] {
        // The form (and "Invite to team").
        let res = app
            .call_json(
                &owner,
                "invite_learners",
                json!({"people": [{"email": "x@example.com", "first_name": "X", "last_name": ""}],
                       "role": role, "team_ids": [], "send_email": false}),
            )
            .await;
        assert_eq!(res.status(), 422, "form {role}");
        assert_eq!(
            error_of(res).await.field_message("role").as_deref(),
            Some("Invite learners as Learner, Learner-Analyst or Learner-Admin."),
            "form {role}"
        );
        // A CSV upload.
        let res = app
            .call_json(
                &owner,
                "start_import",
                json!({"key": format!("csv-key-{role}"), "file_name": "people.csv", "total_rows": 1,
                       "role": role, "team_ids": [], "send_email": false}),
            )
            .await;
        assert_eq!(res.status(), 422, "csv {role}");
        assert!(
            error_of(res).await.field_message("role").is_some(),
            "csv {role}"
        );
    }
    // The API.
    let res = app
        .call_json(
            &owner,
            "register_api_client",
            json!({"name": "HR system", "callback_uri": ""}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    let token: Value = Client::new()
        .post(format!("{}/oauth/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", v["client"]["client_id"].as_str().unwrap()),
            ("client_secret", v["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(
            &json!({"action": "inviteLearners", "options": {"learners": [
            {"email": "a@example.com", "first_name": "A", "role": "admin"},
            {"email": "o@example.com", "first_name": "O", "role": "owner"}]}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let items: Value = res.json().await.unwrap();
    for item in items.as_array().unwrap() {
        assert_eq!(item["status"], "error", "{item}");
    }
    // "Invite an administrator" has no role to choose: a role sent anyway changes nothing.
    let res = app
        .call(
            &owner,
            "invite_admin",
            &[
                ("email", "olivia@example.com"),
                ("first_name", "Olivia"),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM invites ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        roles,
        ["admin"],
        "only the administrator's invitation exists"
    );
}

#[tokio::test]
async fn only_the_owner_removes_administrators_and_never_the_owner_or_themselves() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let owner_id = app.user_id("acme", OWNER_EMAIL).await.unwrap();
    let (adam, adam_id) = administrator(&app, "acme", "adam@example.com", "Adam").await;
    let (bea, bea_id) = administrator(&app, "acme", "bea@example.com", "Bea").await;
    let (_lea, lea_id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let _olga = app.other_academy("beta").await;
    let (_oscar, oscar_id) = administrator(&app, "beta", "oscar@example.com", "Oscar").await;

    let remove = |client: &Client, id: UserId| {
        let (app, client) = (&app, client.clone());
        async move {
            app.call(&client, "remove_admin", &[("user_id", &id.to_string())])
                .await
        }
    };
    let refusal = |res: Response| async move {
        let status = res.status();
        (status, error_of(res).await.to_string())
    };
    // An Administrator removes nobody: not another Administrator, not the Owner, not themselves.
    for id in [bea_id, owner_id, adam_id] {
        let (status, message) = refusal(remove(&adam, id).await).await;
        assert_eq!(status, 403, "{id}");
        assert_eq!(
            message,
            "Only the academy's Owner can remove administrators."
        );
    }
    let (status, message) = refusal(remove(&owner, owner_id).await).await;
    assert_eq!(status, 403);
    assert_eq!(message, "You can't remove yourself from the academy.");
    let (status, message) = refusal(remove(&owner, lea_id).await).await;
    assert_eq!(status, 403);
    assert_eq!(
        message,
        "lea@example.com is not an administrator; learners are managed in Learners & Teams."
    );
    let (status, _) = refusal(remove(&owner, oscar_id).await).await;
    assert_eq!(status, 404, "another academy's administrator is not found");
    assert_eq!(
        user_role(&app, "beta", "oscar@example.com")
            .await
            .as_deref(),
        Some("admin")
    );
    // The learners' "Remove" does not reach staff either.
    let res = app
        .call(
            &owner,
            "remove_learner",
            &[("user_id", &bea_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403);

    let res = remove(&owner, bea_id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let removed: UserView = res.json().await.unwrap();
    assert_eq!(removed.email, "bea@example.com");
    assert_eq!(user_role(&app, "acme", "bea@example.com").await, None);
    // Signed out at once.
    let res = app.call(&bea, "list_staff", &[]).await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        audit(&app, "admin.removed").await,
        [("bea@example.com".to_string(), "admin".to_string())]
    );
    let emails: Vec<String> = staff(&app, &owner)
        .await
        .members
        .into_iter()
        .map(|m| m.email)
        .collect();
    assert_eq!(emails, [OWNER_EMAIL, "adam@example.com"]);
}

#[tokio::test]
async fn administrator_invitations_stay_apart_from_learner_invitations() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    set_business_plan(&app, &owner).await;
    invited(&app, &owner, "grace@example.com", "Grace").await;
    let grace = invite_id(&app, "acme", "grace@example.com").await;
    let (lina, _) = app
        .registered_learner(&owner, "acme", "lina@example.com", Role::LearnerAdmin, &[])
        .await;

    // A Learner-Admin cannot see, resend, revoke or copy the link of an administrator's invitation.
    assert!(
        learners_invites(&app, &lina)
            .await
            .rows
            .iter()
            .all(|r| r.email != "grace@example.com")
    );
    for endpoint in ["resend_invite", "revoke_invite", "invite_link"] {
        let res = app
            .call(&lina, endpoint, &[("invite_id", &grace.to_string())])
            .await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
    // …nor turn it into a learner's by inviting the same address.
    let res = app
        .call_json(
            &lina,
            "invite_learners",
            json!({"people": [{"email": "grace@example.com", "first_name": "G", "last_name": ""}],
                   "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let results: Vec<InviteResult> = res.json().await.unwrap();
    assert_eq!(
        results[0].outcome,
        InviteOutcome::Invalid {
            message:
                "grace@example.com has a pending administrator invitation (Settings → Admins)."
                    .into()
        }
    );
    assert_eq!(invite_role(&app, grace).await, "admin");

    // The other way round: Settings → Admins does not take over a learner's invitation or account.
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "max@example.com", "first_name": "Max", "last_name": ""}],
                   "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let max = invite_id(&app, "acme", "max@example.com").await;
    let res = invite_admin(&app, &owner, "max@example.com", "Max").await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        error_of(res).await.field_message("email").as_deref(),
        Some(
            "max@example.com has a pending learner invitation. Revoke it in Learners → Invites first, then invite them as an administrator."
        )
    );
    let res = invite_admin(&app, &owner, "lina@example.com", "Lina").await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        error_of(res).await.field_message("email").as_deref(),
        Some(
            "lina@example.com already has an account in this academy as Learner-Admin. Invite a new address as an administrator."
        )
    );
    for endpoint in ["resend_admin_invite", "revoke_admin_invite"] {
        let res = app
            .call(&owner, endpoint, &[("invite_id", &max.to_string())])
            .await;
        assert_eq!(res.status(), 404, "{endpoint} on a learner's invitation");
    }
    assert_eq!(invite_role(&app, max).await, "learner");

    // Each field says what is wrong with it.
    let res = invite_admin(&app, &owner, "not-an-address", "").await;
    assert_eq!(res.status(), 422);
    let e = error_of(res).await;
    assert!(e.field_message("email").is_some(), "{e:?}");
    assert_eq!(
        e.field_message("first_name").as_deref(),
        Some("Enter a first name")
    );

    // Inviting again renews; Resend and Revoke work here and are recorded.
    let again = invited(&app, &owner, "grace@example.com", "Grace").await;
    assert_eq!(again, InviteOutcome::AlreadyInvited { invite_id: grace });
    let res = app
        .call(
            &owner,
            "resend_admin_invite",
            &[("invite_id", &grace.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .call(
            &owner,
            "revoke_admin_invite",
            &[("invite_id", &grace.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(staff(&app, &owner).await.invites.is_empty());
    let g = || vec![("grace@example.com".to_string(), String::new())];
    assert_eq!(audit(&app, "admin.invite_renewed").await, g());
    assert_eq!(audit(&app, "admin.invite_resent").await, g());
    assert_eq!(audit(&app, "admin.invite_revoked").await, g());
    let res = app
        .call(
            &owner,
            "revoke_admin_invite",
            &[("invite_id", &grace.to_string())],
        )
        .await;
    assert_eq!(res.status(), 409, "already revoked");
}

#[tokio::test]
async fn another_academys_administrators_and_invitations_are_out_of_reach() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invited(&app, &owner, "grace@example.com", "Grace").await;
    let grace = invite_id(&app, "acme", "grace@example.com").await;
    let olga = app.other_academy("beta").await;
    let overview = staff(&app, &olga).await;
    assert_eq!(overview.members.len(), 1);
    assert_eq!(overview.members[0].email, "olga@example.com");
    assert!(overview.invites.is_empty());
    for endpoint in ["resend_admin_invite", "revoke_admin_invite"] {
        let res = app
            .call(&olga, endpoint, &[("invite_id", &grace.to_string())])
            .await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
    assert_eq!(staff(&app, &owner).await.invites.len(), 1);
}

#[tokio::test]
async fn knowing_a_pending_administrators_address_is_not_enough_to_become_one() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invited(&app, &owner, "grace@example.com", "Grace").await;
    let stranger = app.browser();
    let res = app
        .sign_up(
            &stranger,
            "acme",
            "grace@example.com",
            "Not",
            "Grace",
            PASSWORD,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = error_of(res).await;
    assert_eq!(
        err.field_message("email").as_deref(),
        Some(app::server::services::join::STAFF_INVITE_BY_LINK_ONLY)
    );
    assert_eq!(user_role(&app, "acme", "grace@example.com").await, None);
    let id = invite_id(&app, "acme", "grace@example.com").await;
    assert_eq!(
        invite_role(&app, id).await,
        "admin",
        "the invitation waits for its link"
    );
}

/// Registers an API application as `admin` and takes a token for it.
async fn application_with_token(app: &TestApp, admin: &Client, name: &str) -> String {
    let res = app
        .call_json(
            admin,
            "register_api_client",
            json!({"name": name, "callback_uri": ""}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    let res = Client::new()
        .post(format!("{}/oauth/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", v["client"]["client_id"].as_str().unwrap()),
            ("client_secret", v["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_string()
}

async fn api_status(app: &TestApp, token: &str) -> StatusCode {
    Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(token)
        .json(&json!({"action": "getTeams"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn removing_an_administrator_offers_what_they_made_and_revoking_it_stops_their_tokens_at_once()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (adam, adam_id) = administrator(&app, "acme", "adam@example.com", "Adam").await;
    let (bea, bea_id) = administrator(&app, "acme", "bea@example.com", "Bea").await;
    let adam_token = application_with_token(&app, &adam, "Adam's HR sync").await;
    let res = app
        .call_json(
            &adam,
            "create_webhook",
            json!({"url": "https://hooks.example.com/adam", "events": ["invite.accepted"]}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let bea_token = application_with_token(&app, &bea, "Bea's tool").await;
    assert_eq!(api_status(&app, &adam_token).await, 200);

    // The confirmation lists what each made.
    let overview = staff(&app, &owner).await;
    let made = |id: UserId| -> Vec<(IntegrationKind, String)> {
        overview
            .members
            .iter()
            .find(|m| m.id == id)
            .unwrap()
            .integrations
            .iter()
            .map(|i| (i.kind, i.label.clone()))
            .collect()
    };
    assert_eq!(
        made(adam_id),
        [
            (
                IntegrationKind::ApiApplication,
                "Adam's HR sync".to_string()
            ),
            (
                IntegrationKind::Webhook,
                "https://hooks.example.com/adam".to_string()
            ),
        ]
    );
    assert_eq!(
        made(bea_id),
        [(IntegrationKind::ApiApplication, "Bea's tool".to_string())]
    );

    // Removed with them: the token stops at once, the webhook is gone, the audit log says why.
    let res = app
        .call(
            &owner,
            "remove_admin",
            &[
                ("user_id", &adam_id.to_string()),
                ("revoke_integrations", "true"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(api_status(&app, &adam_token).await, 401);
    let webhooks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhooks")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(webhooks, 0);
    assert_eq!(
        audit(&app, "api_client.revoked").await,
        [(
            "Adam's HR sync".to_string(),
            "1 token(s) revoked with the removal of adam@example.com".to_string()
        )]
    );
    assert_eq!(
        audit(&app, "webhook.deleted").await,
        [(
            "https://hooks.example.com/adam".to_string(),
            "with the removal of adam@example.com".to_string()
        )]
    );

    // Removed without: Bea's application keeps working, its maker unknown from now on.
    let res = app
        .call(
            &owner,
            "remove_admin",
            &[
                ("user_id", &bea_id.to_string()),
                ("revoke_integrations", "false"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(api_status(&app, &bea_token).await, 200);
    let maker: Option<i64> =
        sqlx::query_scalar("SELECT created_by FROM api_clients WHERE name = 'Bea''s tool'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(maker, None);
    assert!(
        staff(&app, &owner)
            .await
            .members
            .iter()
            .all(|m| m.integrations.is_empty())
    );
}
