//! Statistics: the funnel, sources, median, failed emails, learners per team and sign-ups per day of
//! a dataset written straight into the database with known times (March 2025, far from "now"),
//! checked through the real server functions on SQLite or PostgreSQL — with the filters, the CSV
//! export, who may see it, and another academy's data that must never show.

use crate::common;
use app::domain::{AcademyId, TeamId};

use app::{
    domain::{
        calendar::day_of_ms,
        invite::InviteSource,
        role::Role,
        statistics::{DAY_MS, parse_date},
    },
    error::AppError,
    model::statistics::{Statistics, StatisticsCsv},
};
use common::{TestApp, error_of};
use reqwest::{Client, Response};
use serde_json::json;

const H: i64 = 3_600_000;

/// 3 March 2025, the first day of the dataset (a UTC day number).
fn d0() -> i64 {
    parse_date("2025-03-03").unwrap()
}

/// The start of day `d0 + n`, in milliseconds.
fn day(n: i64) -> i64 {
    (d0() + n) * DAY_MS
}

fn date(n: i64) -> String {
    app::domain::calendar::iso_date(d0() + n)
}

#[allow(clippy::too_many_arguments)]
async fn invite(
    app: &TestApp,
    academy_id: AcademyId,
    email: &str,
    source: &str,
    status: &str,
    email_status: &str,
    created_at: i64,
    accepted_after: Option<i64>,
    teams: &[TeamId],
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, \
         email_status, source, created_at, updated_at, expires_at, accepted_at) \
         VALUES ($1, $2, 'Seed', 'Person', 'learner', 1, $3, $4, $5, $6, $6, $7, $8) RETURNING id",
    )
    .bind(academy_id)
    .bind(email)
    .bind(status)
    .bind(email_status)
    .bind(source)
    .bind(created_at)
    .bind(created_at + 14 * DAY_MS)
    .bind(accepted_after.map(|a| created_at + a))
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    for team in teams {
        sqlx::query("INSERT INTO invite_teams (invite_id, team_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*team)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
    }
    id
}

async fn user(
    app: &TestApp,
    academy_id: AcademyId,
    email: &str,
    role: &str,
    created_at: i64,
    teams: &[TeamId],
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, status, created_at) \
         VALUES ($1, $2, 'Seed', 'Person', $3, 'active', $4) RETURNING id",
    )
    .bind(academy_id)
    .bind(email)
    .bind(role)
    .bind(created_at)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    for team in teams {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(*team)
        .bind(id)
        .bind(academy_id)
        .bind(created_at)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    }
    id
}

const EVIL: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

struct Seeded {
    app: TestApp,
    owner: Client,
    sales: TeamId,
    evil: TeamId,
    beta_team: TeamId,
}

/// Acme (the caller's academy), from 3 to 7 March 2025 (days 0–4), with Sales and a team whose name
/// is a spreadsheet formula:
///
/// | invite | source | made          | status   | email         | accepted after | teams |
/// |--------|--------|---------------|----------|---------------|----------------|-------|
/// | i1     | form   | day 0, 10:00  | accepted | sent          | 2 h            | Sales |
/// | i2     | form   | day 0, 11:00  | accepted | sent          | 4 h            | Sales |
/// | i3     | csv    | day 1, 09:00  | pending  | failed        |                | Evil  |
/// | i4     | csv    | day 1, 10:00  | pending  | sent          |                | Sales |
/// | i5     | team   | day 2, 08:00  | accepted | not_requested | 3 days         |       |
/// | i6     | api    | day 4, 00:00  | revoked  | sent          |                |       |
/// | i7     | api    | day 4, 23:59:59.999 | pending | queued  |                |       |
/// | i8     | form   | 1 ms before day 0 | accepted | sent    | 1 h            | Sales |
/// | i9     | form   | day 5, 00:00  | pending  | sent          |                | Sales |
///
/// Learners: two on day 0 (in Sales), one on day 2, a Learner-Analyst on day 4, and outside the
/// range one an hour before day 0 and one on day 5; an Administrator on day 4 (not a learner).
/// Beta, another academy, has invitations and learners on the same days.
async fn seeded() -> Seeded {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let acme = app.academy_id("acme").await;
    let sales = app.team(&owner, "Sales").await;
    let evil = app.team(&owner, EVIL).await;

    invite(
        &app,
        acme,
        "i1@example.com",
        "form",
        "accepted",
        "sent",
        day(0) + 10 * H,
        Some(2 * H),
        &[sales],
    )
    .await;
    invite(
        &app,
        acme,
        "i2@example.com",
        "form",
        "accepted",
        "sent",
        day(0) + 11 * H,
        Some(4 * H),
        &[sales],
    )
    .await;
    invite(
        &app,
        acme,
        "i3@example.com",
        "csv",
        "pending",
        "failed",
        day(1) + 9 * H,
        None,
        &[evil],
    )
    .await;
    invite(
        &app,
        acme,
        "i4@example.com",
        "csv",
        "pending",
        "sent",
        day(1) + 10 * H,
        None,
        &[sales],
    )
    .await;
    invite(
        &app,
        acme,
        "i5@example.com",
        "team",
        "accepted",
        "not_requested",
        day(2) + 8 * H,
        Some(3 * DAY_MS),
        &[],
    )
    .await;
    invite(
        &app,
        acme,
        "i6@example.com",
        "api",
        "revoked",
        "sent",
        day(4),
        None,
        &[],
    )
    .await;
    invite(
        &app,
        acme,
        "i7@example.com",
        "api",
        "pending",
        "queued",
        day(5) - 1,
        None,
        &[],
    )
    .await;
    invite(
        &app,
        acme,
        "i8@example.com",
        "form",
        "accepted",
        "sent",
        day(0) - 1,
        Some(H),
        &[sales],
    )
    .await;
    invite(
        &app,
        acme,
        "i9@example.com",
        "form",
        "pending",
        "sent",
        day(5),
        None,
        &[sales],
    )
    .await;

    user(
        &app,
        acme,
        "u1@example.com",
        "learner",
        day(0) + 12 * H,
        &[sales],
    )
    .await;
    user(
        &app,
        acme,
        "u2@example.com",
        "learner",
        day(0) + 15 * H,
        &[sales],
    )
    .await;
    user(
        &app,
        acme,
        "u3@example.com",
        "learner",
        day(2) + 20 * H,
        &[],
    )
    .await;
    user(
        &app,
        acme,
        "u4@example.com",
        "learner_analyst",
        day(5) - 1,
        &[],
    )
    .await;
    user(&app, acme, "u5@example.com", "admin", day(4) + H, &[sales]).await;
    user(
        &app,
        acme,
        "u6@example.com",
        "learner",
        day(5) + H,
        &[sales],
    )
    .await;
    user(&app, acme, "u7@example.com", "learner", day(0) - H, &[]).await;

    let olga = app.other_academy("beta").await;
    let beta = app.academy_id("beta").await;
    let beta_team = app.team(&olga, "Beta Sales").await;
    for n in 0..5 {
        let email = format!("b{n}@example.com");
        invite(
            &app,
            beta,
            &email,
            "form",
            "accepted",
            "failed",
            day(n) + H,
            Some(H),
            &[beta_team],
        )
        .await;
        user(&app, beta, &email, "learner", day(1) + H, &[beta_team]).await;
    }
    Seeded {
        app,
        owner,
        sales,
        evil,
        beta_team,
    }
}

async fn call_stats(app: &TestApp, client: &Client, team: &str, from: &str, to: &str) -> Response {
    app.call_json(
        client,
        "get_statistics",
        json!({"filter": {"team": team, "from": from, "to": to}}),
    )
    .await
}

async fn stats(app: &TestApp, client: &Client, team: &str, from: &str, to: &str) -> Statistics {
    let res = call_stats(app, client, team, from, to).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The whole dataset's range, 3–7 March 2025.
async fn week(s: &Seeded, client: &Client, team: &str) -> Statistics {
    stats(&s.app, client, team, &date(0), &date(4)).await
}

fn sources(s: &Statistics) -> Vec<(InviteSource, i64, i64)> {
    s.by_source
        .iter()
        .map(|c| (c.source, c.invited, c.accepted))
        .collect()
}

fn series(s: &Statistics) -> Vec<i64> {
    s.signups.iter().map(|d| d.count).collect()
}

#[tokio::test]
async fn the_funnel_sources_median_and_failed_emails_count_the_invitations_made_in_the_range() {
    let s = seeded().await;
    let st = week(&s, &s.owner, "").await;
    assert_eq!((st.range.from_day, st.range.to_day), (d0(), d0() + 4));
    assert_eq!(st.team, None);
    assert_eq!(
        (st.funnel.invited, st.funnel.email_sent, st.funnel.accepted),
        (7, 4, 3)
    );
    assert_eq!(st.funnel.acceptance_rate(), "43%");
    assert_eq!(
        st.funnel.steps().map(|(_, _, p)| p),
        ["100%".to_string(), "57%".into(), "43%".into()]
    );
    assert_eq!(st.failed_emails, 1);
    // Accepted after 2 h, 4 h and 3 days: the middle one.
    assert_eq!(st.median_accept_ms, Some(4 * H));
    assert_eq!(
        sources(&st),
        [
            (InviteSource::Form, 2, 2),
            (InviteSource::Csv, 2, 0),
            (InviteSource::Team, 1, 1),
            (InviteSource::Api, 2, 0),
            (InviteSource::Request, 0, 0),
        ]
    );
}

#[tokio::test]
async fn sign_ups_per_day_have_one_entry_per_day_with_empty_days_as_zero() {
    let s = seeded().await;
    let st = week(&s, &s.owner, "").await;
    assert_eq!(
        st.signups.iter().map(|d| d.day).collect::<Vec<_>>(),
        (d0()..=d0() + 4).collect::<Vec<_>>()
    );
    // Learners of every learner role; the Administrator of day 4 is not one.
    assert_eq!(series(&st), [2, 0, 1, 0, 1]);
    assert_eq!(st.signups_total(), 4);
}

#[tokio::test]
async fn learners_per_team_count_members_and_pending_invites_now_most_learners_first() {
    let s = seeded().await;
    let st = week(&s, &s.owner, "").await;
    let rows: Vec<(&str, i64, i64)> = st
        .team_rows
        .iter()
        .map(|r| (r.team.name.as_str(), r.learners, r.pending_invites))
        .collect();
    // Sales: u1, u2, u5 and u6 (whatever their dates), pending i4 and i9; the other team: i3.
    assert_eq!(rows, [("Sales", 4, 2), (EVIL, 0, 1)]);
    // The picker lists every team by name.
    assert_eq!(
        st.teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        [EVIL, "Sales"]
    );
}

#[tokio::test]
async fn the_team_filter_restricts_invitations_to_the_team_and_sign_ups_to_its_members() {
    let s = seeded().await;
    let st = week(&s, &s.owner, &s.sales.to_string()).await;
    assert_eq!(st.team.as_ref().map(|t| t.id), Some(s.sales));
    assert_eq!(
        (st.funnel.invited, st.funnel.email_sent, st.funnel.accepted),
        (3, 3, 2)
    );
    assert_eq!(st.failed_emails, 0);
    // 2 h and 4 h: an even count takes the mean of the middle two.
    assert_eq!(st.median_accept_ms, Some(3 * H));
    assert_eq!(
        sources(&st)[..3],
        [
            (InviteSource::Form, 2, 2),
            (InviteSource::Csv, 1, 0),
            (InviteSource::Team, 0, 0)
        ]
    );
    assert_eq!(series(&st), [2, 0, 0, 0, 0]);
    assert_eq!(
        st.team_rows
            .iter()
            .map(|r| (r.team.id, r.learners, r.pending_invites))
            .collect::<Vec<_>>(),
        [(s.sales, 4, 2)]
    );

    let st = week(&s, &s.owner, &s.evil.to_string()).await;
    assert_eq!(
        (st.funnel.invited, st.failed_emails, st.median_accept_ms),
        (1, 1, None)
    );
    assert_eq!(series(&st), [0, 0, 0, 0, 0]);
}

#[tokio::test]
async fn the_date_range_includes_both_its_first_and_its_last_day() {
    let s = seeded().await;
    // Day 4 alone: i6 made at its first millisecond, i7 at its last; u4 at its last.
    let st = stats(&s.app, &s.owner, "", &date(4), &date(4)).await;
    assert_eq!(st.funnel.invited, 2);
    assert_eq!(series(&st), [1]);
    // Days 1–3: i3, i4, i5.
    let st = stats(&s.app, &s.owner, "", &date(1), &date(3)).await;
    assert_eq!(
        (st.funnel.invited, st.funnel.accepted, st.failed_emails),
        (3, 1, 1)
    );
    assert_eq!(st.median_accept_ms, Some(3 * DAY_MS));
    assert_eq!(series(&st), [0, 1, 0]);
    // One day more on each side takes in i8, u7 (the day before) and i9, u6 (the day after).
    let st = stats(&s.app, &s.owner, "", &date(-1), &date(5)).await;
    assert_eq!(st.funnel.invited, 9);
    assert_eq!(series(&st), [1, 2, 0, 1, 0, 1, 1]);
}

#[tokio::test]
async fn without_dates_the_page_shows_the_last_30_days_up_to_today() {
    let s = seeded().await;
    let (_lea, _) = s
        .app
        .registered_learner(&s.owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let st = stats(&s.app, &s.owner, "", "", "").await;
    let today = day_of_ms(app::server::db::now_ms());
    assert_eq!((st.range.from_day, st.range.to_day), (today - 29, today));
    assert_eq!(st.today, today);
    assert_eq!(st.signups.len(), 30);
    // Only Lea, invited and registered just now; March 2025 is long gone.
    assert_eq!((st.funnel.invited, st.funnel.accepted), (1, 1));
    assert_eq!(*series(&st).last().unwrap(), 1);
    assert_eq!(st.signups_total(), 1);
    // Only "to": the 30 days up to it.
    let st = stats(&s.app, &s.owner, "", "", &date(4)).await;
    assert_eq!((st.range.from_day, st.range.to_day), (d0() - 25, d0() + 4));
    assert_eq!(st.funnel.invited, 8);
}

#[tokio::test]
async fn a_bad_date_range_is_refused_with_an_error_naming_the_field() {
    let s = seeded().await;
    let cases: &[(&str, &str, &str, &str)] = &[
        // from, to, field, the message's start
        (
            "2025-03-07",
            "2025-03-03",
            "from",
            "From (7 Mar 2025) is after To (3 Mar 2025).",
        ),
        (
            "2025-02-30",
            "2025-03-03",
            "from",
            "From: \"2025-02-30\" is not a date.",
        ),
        (
            "2025-03-03",
            "next week",
            "to",
            "To: \"next week\" is not a date.",
        ),
        (
            "2023-01-01",
            "2025-03-03",
            "to",
            "To: the range is 793 days long; choose at most 366 days",
        ),
    ];
    for (from, to, field, start) in cases {
        let res = call_stats(&s.app, &s.owner, "", from, to).await;
        assert_eq!(res.status(), 422, "{from}..{to}");
        let e = error_of(res).await;
        let message = e
            .field_message(field)
            .unwrap_or_else(|| panic!("{from}..{to}: {e:?}"));
        assert!(message.starts_with(start), "{from}..{to}: {message}");
    }
    let res = call_stats(&s.app, &s.owner, "sales", "", "").await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.field_message("team").is_some());
}

#[tokio::test]
async fn another_academys_data_never_appears_and_its_team_is_not_found() {
    let s = seeded().await;
    // Beta's five invitations and learners fall on the same days: none is counted above. Here, its
    // team as a filter is "not found", exactly like a team that never existed.
    for team in [s.beta_team, TeamId::new(999_999)] {
        let res = call_stats(&s.app, &s.owner, &team.to_string(), &date(0), &date(4)).await;
        assert_eq!(res.status(), 404, "team {team}");
        assert!(matches!(error_of(res).await, AppError::NotFound(_)));
    }
    let st = week(&s, &s.owner, "").await;
    assert!(st.teams.iter().all(|t| t.id != s.beta_team));
    assert!(st.team_rows.iter().all(|r| r.team.id != s.beta_team));
    assert_eq!(st.funnel.invited, 7);
    assert_eq!(st.failed_emails, 1);
    // And Beta sees its own, none of Acme's.
    let olga = s.app.browser();
    let res = s
        .app
        .sign_in(&olga, "beta", "olga@example.com", common::OWNER_PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
    let st = week(&s, &olga, "").await;
    assert_eq!(
        (st.funnel.invited, st.funnel.accepted, st.failed_emails),
        (5, 5, 5)
    );
    assert_eq!(series(&st), [0, 5, 0, 0, 0]);
    assert_eq!(st.median_accept_ms, Some(H));
    let res = call_stats(&s.app, &olga, &s.sales.to_string(), "", "").await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_csv_export_neutralises_formulas_and_is_named_for_the_academy_and_dates() {
    let s = seeded().await;
    let res = s
        .app
        .call_json(
            &s.owner,
            "export_statistics",
            json!({"filter": {"team": "", "from": date(0), "to": date(4)}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let csv: StatisticsCsv = res.json().await.unwrap();
    assert_eq!(
        csv.file_name,
        "acme-statistics-2025-03-03-to-2025-03-07.csv"
    );
    let text = csv.text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split("\r\n").collect();
    // The team named like a formula is text, never a formula.
    assert!(
        lines.contains(&"\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",0,1"),
        "{text}"
    );
    assert!(!text.contains(",=") && !lines.iter().any(|l| l.starts_with('=')));
    for expected in [
        "Statistics,acme",
        "Dates (days in UTC),2025-03-03,2025-03-07",
        "Team,All teams",
        "Invited,7,100%",
        "Email sent,4,57%",
        "Accepted,3,43%",
        "Acceptance rate,43%",
        "Median time to acceptance,4 h",
        "Failed emails,1",
        "Invite form,2,2,100%",
        "CSV upload,2,0,0%",
        "Sales,4,2",
        "2025-03-03,2",
        "2025-03-04,0",
        "2025-03-07,1",
    ] {
        assert!(lines.contains(&expected), "{expected:?} in\n{text}");
    }
    // One team: its id in the file name.
    let res = s
        .app
        .call_json(
            &s.owner,
            "export_statistics",
            json!({"filter": {"team": s.sales.to_string(), "from": date(0), "to": date(0)}}),
        )
        .await;
    let csv: StatisticsCsv = res.json().await.unwrap();
    assert_eq!(
        csv.file_name,
        format!(
            "acme-statistics-2025-03-03-to-2025-03-03-team-{}.csv",
            s.sales
        )
    );
    assert!(csv.text.contains("\r\nTeam,Sales\r\n"));
}

#[tokio::test]
async fn a_learner_gets_403_signed_out_gets_401_and_a_learner_analyst_sees_the_numbers() {
    let s = seeded().await;
    let (lea, _) = s
        .app
        .registered_learner(&s.owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let (ana, _) = s
        .app
        .registered_learner(
            &s.owner,
            "acme",
            "ana@example.com",
            Role::LearnerAnalyst,
            &[],
        )
        .await;
    for endpoint in ["get_statistics", "export_statistics"] {
        let body = json!({"filter": {"team": "", "from": date(0), "to": date(4)}});
        let res = s.app.call_json(&lea, endpoint, body.clone()).await;
        assert_eq!(res.status(), 403, "{endpoint}");
        assert_eq!(
            error_of(res).await,
            AppError::Forbidden("Your role does not include viewing statistics.".into())
        );
        let res = s
            .app
            .call_json(&s.app.browser(), endpoint, body.clone())
            .await;
        assert_eq!(res.status(), 401, "{endpoint}");
        let res = s.app.call_json(&ana, endpoint, body).await;
        assert_eq!(res.status(), 200, "{endpoint}");
    }
    let st = week(&s, &ana, "").await;
    assert_eq!(
        (st.funnel.invited, st.funnel.email_sent, st.funnel.accepted),
        (7, 4, 3)
    );
    // The page: the analyst gets it; the learner is sent to the learner home.
    let res = s
        .app
        .get(&ana, "/a/acme/admin/statistics?from=2025-03-03")
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("<h1>Statistics</h1>"));
    let res = s.app.get(&lea, "/a/acme/admin/statistics").await;
    assert_eq!(res.status(), 302);
    assert_eq!(crate::common::location_path(&res), "/a/acme");
}
