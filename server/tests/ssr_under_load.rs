//! The real `shoal` binary (its own multi-threaded runtime, as in production) keeps answering while
//! thousands of page loads arrive at once. Leptos 0.8's `<Suspense>` can deadlock a multi-threaded
//! server when resources resolve on one worker thread while the boundary's effect runs on another
//! (leptos-rs/leptos#4673): the admin learners page, with its lists rendered on the server, froze the
//! whole server after about a thousand concurrent loads. Pages now render at most one resource in one
//! `<Suspense>` on the server; this test fails (requests time out) if that ever stops being true: with
//! the learners lists rendered on the server again, 2 of its 6,000 loads got no answer.
//!
//! It runs the binary on SQLite whatever `SHOAL_TEST_PG_URL` says: the runtime is what is tested.
//! A test binary of its own (not a module of `tests/it`): it keeps both cores busy on purpose, so it
//! runs alone, after the other tests, and links nothing of Shoal but the `shoal` executable it starts.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use reqwest::{Client, redirect::Policy};

const LOADS: usize = 6_000;
const AT_ONCE: usize = 16;
const PASSWORD: &str = "lighthouse keeper 42";

struct Server {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn shoal(dir: &std::path::Path, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shoal"));
    for (name, _) in std::env::vars().filter(|(k, _)| k.starts_with("SHOAL_")) {
        cmd.env_remove(name);
    }
    // Dev explicitly: production (the default) would refuse to start without an SMTP server.
    cmd.env("SHOAL_MODE", "dev")
        .env("SHOAL_DATA_DIR", dir)
        .env("SHOAL_LISTEN", format!("127.0.0.1:{port}"))
        .env("SHOAL_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "warn")
        .current_dir(dir);
    cmd
}

async fn start() -> Server {
    let bytes: [u8; 6] = rand::random();
    let dir = std::env::temp_dir().join(format!("shoal-load-{}", hex::encode(bytes)));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let created = shoal(&dir, port)
        .args(["academy", "create", "--slug", "acme", "--name", "Acme"])
        .args([
            "--owner-name",
            "Ada Lovelace",
            "--owner-email",
            "ada@example.com",
        ])
        .args(["--owner-password", PASSWORD])
        .output()
        .expect("shoal academy create runs");
    assert!(created.status.success(), "{created:?}");
    let child = shoal(&dir, port)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("shoal serve starts");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    let client = Client::new();
    for _ in 0..100 {
        if client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("shoal serve did not answer /healthz within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_concurrent_page_loads_all_get_an_answer() {
    let server = start().await;
    let base = server.base.clone();
    // A new connection for every load, as many different browsers make them.
    let client = Client::builder()
        .redirect(Policy::none())
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{base}/api/sign_in"))
        .header("Origin", &base)
        .form(&[
            ("slug", "acme"),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shoal_session="))
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("a session cookie");

    // Admin pages as the owner, and the pages visitors and invited people open. Mostly the learners
    // page, the one that froze the server; for the owner's section pages, the text that proves the
    // page itself arrived with its data (and no "Loading…" anywhere in it).
    let pages: [(&str, bool, Option<&str>); 20] = [
        (
            "/a/acme/admin/learners",
            true,
            Some("Manage Learners and Teams"),
        ),
        (
            "/a/acme/admin/learners",
            true,
            Some("Manage Learners and Teams"),
        ),
        (
            "/a/acme/admin/learners",
            true,
            Some("Manage Learners and Teams"),
        ),
        (
            "/a/acme/admin/learners?tab=invites",
            true,
            Some("Manage Learners and Teams"),
        ),
        (
            "/a/acme/admin/learners?tab=invites",
            true,
            Some("Manage Learners and Teams"),
        ),
        ("/a/acme/admin/teams", true, Some("Create team")),
        (
            "/a/acme/admin/teams/1",
            true,
            Some("This team no longer exists"),
        ),
        ("/a/acme/admin/settings", true, None),
        (
            "/a/acme/admin/settings?tab=api",
            true,
            Some("No applications yet"),
        ),
        (
            "/a/acme/admin/settings?tab=webhooks",
            true,
            Some("No webhooks yet"),
        ),
        (
            "/a/acme/admin/settings?tab=admins",
            true,
            Some("admin-invites-empty"),
        ),
        (
            "/a/acme/admin/learners?tab=requests",
            true,
            Some("No access requests waiting"),
        ),
        ("/a/acme/admin/statistics", true, Some("stats-empty")),
        ("/a/acme/admin/courses", true, Some("No courses yet")),
        (
            "/a/acme/admin/courses/1",
            true,
            Some("This course no longer exists"),
        ),
        ("/a/acme/admin/audit", true, Some("audit-table")),
        ("/a/acme", true, None),
        ("/a/acme", false, None),
        ("/a/acme/login", false, None),
        ("/a/acme/join/not-a-real-token", false, None),
    ];
    // Busy threads beside the server, as on a loaded machine: the server's threads are then
    // preempted at random points, which is when a lock-ordering deadlock shows.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let spinners: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        })
        .collect();
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..LOADS {
        let (path, as_owner, expect) = pages[n % pages.len()];
        let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
        let permit = permits.clone().acquire_owned().await.unwrap();
        tasks.spawn(async move {
            let _permit = permit;
            let mut req = client
                .get(format!("{base}{path}"))
                .header("Accept", "text/html");
            if as_owner {
                req = req.header("Cookie", cookie);
            }
            match req.send().await {
                Ok(res) if as_owner => {
                    let status = res.status().as_u16();
                    let text = expect.unwrap_or_default();
                    match res.text().await {
                        // The page's data is in the first HTML: no boundary was left loading.
                        Ok(html) if html.contains("class=\"loading\"") => {
                            Err(format!("{path}: HTTP {status} still loading in the HTML"))
                        }
                        Ok(html) if html.contains(text) => Ok((path, status)),
                        Ok(_) => Err(format!("{path}: HTTP {status} without {text:?}")),
                        Err(e) => Err(format!("{path}: {e}")),
                    }
                }
                Ok(res) => Ok((path, res.status().as_u16())),
                Err(e) if e.is_timeout() => Err(format!("{path}: no answer within 10 s")),
                Err(e) => Err(format!("{path}: {e}")),
            }
        });
    }
    let mut failures = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok((_, 200 | 302 | 404)) => {}
            Ok((path, status)) => failures.push(format!("{path}: HTTP {status}")),
            Err(e) => failures.push(e),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for s in spinners {
        s.join().unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {LOADS} page loads failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let health = client.get(format!("{base}/healthz")).send().await;
    assert!(health.is_ok_and(|r| r.status() == 200));
}
