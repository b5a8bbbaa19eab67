//! How long the Statistics page's numbers take on the server at scale: a fresh SQLite database (the
//! real migrations) with one academy of 100,000 learners and 100,000 invitations spread over the
//! last year, 100 teams (one learner in one of them each, plus a team of everyone), and a second
//! academy beside it; then the statistics service itself
//! (`services::statistics::for_academy`, what `get_statistics` runs after authorising) called
//! repeatedly, unfiltered and filtered. Prints p50, p99 and the maximum of each as a Markdown table.
//!
//! ```sh
//! cargo run --release -p server --example statistics_bench            # 100k + 100k, 20 calls each
//! cargo run --release -p server --example statistics_bench -- --learners 20000 --invites 50000 --calls 50
//! cargo run --release -p server --example statistics_bench -- --database-url postgres://…/empty_db
//! ```

use app::domain::AcademyId;
use std::time::{Duration, Instant};

use app::{
    domain::{
        DAY_MS,
        calendar::{day_of_ms, iso_date},
        statistics::StatisticsFilter,
    },
    server::{
        db::{Db, now_ms},
        repo::statistics as repo,
        services::statistics,
    },
};

struct Args {
    learners: i64,
    invites: i64,
    teams: i64,
    calls: usize,
    database_url: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        learners: 100_000,
        invites: 100_000,
        teams: 100,
        calls: 20,
        database_url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<i64>()
                .map_err(|_| format!("{flag}: {v:?} is not a number"))
        };
        match flag.as_str() {
            "--learners" => a.learners = number(value()?)?,
            "--invites" => a.invites = number(value()?)?,
            "--teams" => a.teams = number(value()?)?.max(1),
            "--calls" => a.calls = number(value()?)?.max(1) as usize,
            "--database-url" => a.database_url = Some(value()?),
            _ => {
                return Err(format!(
                    "unknown option {flag}\nusage: statistics_bench [--learners N] [--invites N] [--teams N] [--calls N] [--database-url URL]"
                ));
            }
        }
    }
    Ok(a)
}

/// `INSERT … SELECT` over the numbers 0..n, so seeding is a handful of statements, not 200,000.
/// `body` uses `n.i`.
fn numbers(n: i64, body: &str) -> String {
    format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {}) {body}",
        n - 1
    )
}

async fn seed(db: &Db, args: &Args, slug: &str, scale: i64) -> Result<AcademyId, sqlx::Error> {
    let pool = &db.pool;
    let now = now_ms();
    let year_ago = now - 365 * DAY_MS;
    let academy: AcademyId = sqlx::query_scalar(
        "INSERT INTO academies (slug, name, plan, visibility, created_at) \
         VALUES ($1, $1, 'business', 'private', $2) RETURNING id",
    )
    .bind(slug)
    .bind(year_ago)
    .fetch_one(pool)
    .await?;
    let (learners, invites) = (args.learners / scale, args.invites / scale);
    sqlx::query(sqlx::AssertSqlSafe(numbers(
        args.teams,
        "INSERT INTO teams (academy_id, name, color, created_at) \
         SELECT $1, 'Team ' || n.i, '#0b6e99', $2 FROM n",
    )))
    .bind(academy)
    .bind(year_ago)
    .execute(pool)
    .await?;
    let first_team: i64 = sqlx::query_scalar("SELECT MIN(id) FROM teams WHERE academy_id = $1")
        .bind(academy)
        .fetch_one(pool)
        .await?;
    // Learners: one in 50 a Learner-Analyst, registered at a spread of times over the last year.
    sqlx::query(sqlx::AssertSqlSafe(numbers(
        learners,
        "INSERT INTO users (academy_id, email, first_name, last_name, role, status, created_at) \
         SELECT $1, 'learner' || n.i || '@bench.example', 'Bench', 'Learner ' || n.i, \
         CASE WHEN n.i % 50 = 0 THEN 'learner_analyst' ELSE 'learner' END, 'active', \
         $2 + (n.i * 7919 % 365) * 86400000 + (n.i * 104729 % 86400000) FROM n",
    )))
    .bind(academy)
    .bind(year_ago)
    .execute(pool)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) \
         SELECT $1 + (u.id % {}), u.id, u.academy_id, u.created_at FROM users u WHERE u.academy_id = $2",
        args.teams
    )))
    .bind(first_team)
    .bind(academy)
    .execute(pool)
    .await?;
    // Invitations: 60% accepted (within 5 days), 25% pending, 15% revoked; email sent 70%, failed
    // 5%, not requested 25%; the four sources in turn.
    sqlx::query(sqlx::AssertSqlSafe(numbers(
        invites,
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, \
         email_status, source, created_at, updated_at, expires_at, accepted_at) \
         SELECT $1, 'invitee' || n.i || '@bench.example', 'Bench', 'Invitee', 'learner', 1, \
         CASE WHEN n.i % 20 < 12 THEN 'accepted' WHEN n.i % 20 < 17 THEN 'pending' ELSE 'revoked' END, \
         CASE WHEN n.i % 20 = 0 THEN 'failed' WHEN n.i % 4 = 1 THEN 'not_requested' ELSE 'sent' END, \
         CASE n.i % 4 WHEN 0 THEN 'form' WHEN 1 THEN 'csv' WHEN 2 THEN 'team' ELSE 'api' END, \
         $2 + (n.i * 7907 % 365) * 86400000 + (n.i * 15485863 % 86400000), $2, $2 + 34560000000, \
         CASE WHEN n.i % 20 < 12 THEN $2 + (n.i * 7907 % 365) * 86400000 + (n.i * 15485863 % 86400000) \
              + (n.i * 31 % 432000) * 1000 END \
         FROM n",
    )))
    .bind(academy)
    .bind(year_ago)
    .execute(pool)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO invite_teams (invite_id, team_id) \
         SELECT i.id, $1 + (i.id / 7 % {}) FROM invites i WHERE i.academy_id = $2",
        args.teams
    )))
    .bind(first_team)
    .bind(academy)
    .execute(pool)
    .await?;
    if scale == 1 {
        // The worst case of the team filter: a team everyone is in (every learner, every invitation).
        let everyone: i64 = sqlx::query_scalar(
            "INSERT INTO teams (academy_id, name, color, created_at) \
             VALUES ($1, 'Everyone', '#067647', $2) RETURNING id",
        )
        .bind(academy)
        .bind(year_ago)
        .fetch_one(pool)
        .await?;
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, academy_id, added_at) \
             SELECT $1, u.id, u.academy_id, u.created_at FROM users u WHERE u.academy_id = $2",
        )
        .bind(everyone)
        .bind(academy)
        .execute(pool)
        .await?;
        sqlx::query(
            "INSERT INTO invite_teams (invite_id, team_id) \
             SELECT i.id, $1 FROM invites i WHERE i.academy_id = $2",
        )
        .bind(everyone)
        .bind(academy)
        .execute(pool)
        .await?;
    }
    Ok(academy)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((p / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("statistics_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let args = parse_args()?;
    let dir = std::env::temp_dir().join(format!("shoal-statistics-bench-{}", std::process::id()));
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/shoal.db", dir.display()));
    let db = Db::connect(&url).await?;
    let started = Instant::now();
    let academy = seed(&db, &args, "bench", 1)
        .await
        .map_err(|e| format!("seeding: {e}"))?;
    // A neighbour a tenth the size, so every query has to pick its academy's rows out.
    seed(&db, &args, "neighbour", 10)
        .await
        .map_err(|e| format!("seeding: {e}"))?;
    // SQLite: no ANALYZE, Shoal never runs it, so the planner works without statistics here too.
    // PostgreSQL: its autovacuum would soon analyse the new rows and mark them all-visible (which
    // index-only scans need); done at once here, as a settled database would be.
    if !url.starts_with("sqlite:") {
        sqlx::query("VACUUM ANALYZE")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    eprintln!(
        "seeded {} learners, {} invitations, {} teams (+ a neighbour academy a tenth the size) in {:.1} s",
        args.learners,
        args.invites,
        args.teams,
        started.elapsed().as_secs_f64()
    );
    let team: i64 = sqlx::query_scalar("SELECT MIN(id) FROM teams WHERE academy_id = $1")
        .bind(academy)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let everyone: i64 =
        sqlx::query_scalar("SELECT id FROM teams WHERE academy_id = $1 AND name = 'Everyone'")
            .bind(academy)
            .fetch_one(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    let today = day_of_ms(now_ms());
    let year = (iso_date(today - 365), iso_date(today));
    let cases = [
        (
            "default (last 30 days, all teams)",
            StatisticsFilter::default(),
        ),
        (
            "last 366 days (every row), all teams",
            StatisticsFilter {
                team: String::new(),
                from: year.0.clone(),
                to: year.1.clone(),
            },
        ),
        (
            "last 30 days, one team",
            StatisticsFilter {
                team: team.to_string(),
                ..Default::default()
            },
        ),
        (
            "last 366 days, one team",
            StatisticsFilter {
                team: team.to_string(),
                from: year.0.clone(),
                to: year.1.clone(),
            },
        ),
        (
            "last 366 days, a team of everyone",
            StatisticsFilter {
                team: everyone.to_string(),
                from: year.0.clone(),
                to: year.1.clone(),
            },
        ),
    ];
    println!();
    println!(
        "| statistics service ({} learners, {} invitations, {} teams, {}) | calls | p50 | p99 | max | invited | sign-ups |",
        args.learners,
        args.invites,
        args.teams,
        if url.starts_with("sqlite:") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, filter) in cases {
        // Two warm-up calls (the page cache, the statement cache).
        for _ in 0..2 {
            statistics::for_academy(&db, academy, &filter)
                .await
                .map_err(|e| e.to_string())?;
        }
        let mut times = Vec::with_capacity(args.calls);
        let mut last = None;
        for _ in 0..args.calls {
            let t = Instant::now();
            let s = statistics::for_academy(&db, academy, &filter)
                .await
                .map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            last = Some(s);
        }
        times.sort();
        let s = last.expect("at least one call");
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            args.calls,
            ms(pct(&times, 50.0)),
            ms(pct(&times, 99.0)),
            ms(*times.last().expect("calls")),
            s.funnel.invited,
            s.signups_total()
        );
    }
    // Where the time goes: each query alone (one after the other), over the whole year.
    let (start, end) = ((today - 365) * DAY_MS, (today + 1) * DAY_MS);
    let pool = &db.pool;
    let timed = |t: i64| t / 2;
    let calls = args.calls;
    println!();
    println!("| one query alone, last 366 days, all teams | p50 |");
    println!("|---|---:|");
    let rows = [
        (
            "invitations by status, source, email status",
            p50(calls, || async {
                repo::invite_counts(pool, academy, start, end, None)
                    .await
                    .map(drop)
            })
            .await?,
        ),
        (
            "median time to acceptance (the middle values)",
            p50(calls, || async {
                repo::accept_durations(pool, academy, start, end, None, timed(60_000), 2)
                    .await
                    .map(drop)
            })
            .await?,
        ),
        (
            "sign-ups per day",
            p50(calls, || async {
                repo::signups_per_day(pool, academy, today - 365, today, None)
                    .await
                    .map(drop)
            })
            .await?,
        ),
        (
            "learners and pending invitations per team",
            p50(calls, || async {
                repo::team_counts(pool, academy, None).await.map(drop)
            })
            .await?,
        ),
        (
            "the team picker",
            p50(calls, || async {
                repo::teams(pool, academy).await.map(drop)
            })
            .await?,
        ),
    ];
    for (name, t) in rows {
        println!("| {name} | {} |", ms(t));
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The median time of `calls` runs of `f` (after one warm-up run).
async fn p50<F, Fut>(calls: usize, f: F) -> Result<Duration, String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), sqlx::Error>>,
{
    f().await.map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        f().await.map_err(|e| e.to_string())?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(pct(&times, 50.0))
}
