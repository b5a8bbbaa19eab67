//! The `shoal` executable as a whole process: what it refuses at start-up, how it stops, what it
//! does with clients that stall, and what its log keeps.

use std::time::Duration;

use crate::common::binary::{self, Shoal};

#[tokio::test]
async fn shoal_serve_with_no_mode_and_no_smtp_url_refuses_to_start_and_names_smtp_url() {
    let dir = binary::temp_dir();
    let out = binary::command(&dir, binary::free_port())
        .arg("serve")
        .output()
        .expect("shoal runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{out:?}");
    assert!(stderr.contains("SHOAL_SMTP_URL"), "{stderr}");
    // Refused before anything was made: no database file.
    assert!(!dir.join("shoal.db").exists());

    // The CLI's other commands need no mail.
    let created = binary::command(&dir, binary::free_port())
        .args(["academy", "create", "--slug", "acme", "--name", "Acme"])
        .args(["--owner-name", "Ada Lovelace"])
        .args(["--owner-email", "ada@example.com"])
        .args(["--owner-password", "lighthouse keeper 42"])
        .output()
        .expect("shoal academy create runs");
    assert!(created.status.success(), "{created:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn dev_mode_on_an_address_other_machines_reach_says_so_in_the_log() {
    let shoal = Shoal::start(|cmd, port| {
        cmd.env("SHOAL_LISTEN", format!("0.0.0.0:{port}"));
    })
    .await;
    let log = shoal.log();
    assert!(log.contains("WARN"), "{log}");
    assert!(log.contains("SHOAL_MODE=dev on 0.0.0.0:"), "{log}");
}

/// The text after `marker` up to the next character no URL token has.
fn token_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text.find(marker).expect("marker present") + marker.len();
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[tokio::test]
async fn the_request_log_never_holds_an_invitation_token_or_a_code() {
    let shoal = Shoal::start(|_, _| {}).await;
    let created = binary::command(&shoal.dir, shoal.port)
        .args(["academy", "create", "--slug", "acme", "--name", "Acme"])
        .args(["--owner-name", "Ada Lovelace"])
        .args(["--owner-email", "ada@example.com"])
        .args(["--owner-password", "lighthouse keeper 42"])
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let base = &shoal.base;
    let owner = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = owner
        .post(format!("{base}/api/sign_in"))
        .header("Origin", base)
        .form(&[
            ("slug", "acme"),
            ("email", "ada@example.com"),
            ("password", "lighthouse keeper 42"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = owner
        .post(format!("{base}/api/invite_learners"))
        .header("Origin", base)
        .json(&serde_json::json!({
            "people": [{"email": "lea@example.com", "first_name": "Lea", "last_name": ""}],
            "role": "learner", "team_ids": [], "send_email": true,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut mailbox = String::new();
    for _ in 0..100 {
        mailbox = owner
            .get(format!("{base}/dev/mailbox"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if mailbox.contains("/a/acme/join/") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let token = token_after(&mailbox, "/a/acme/join/").to_string();
    assert!(token.len() > 20, "{token}");

    let visitor = reqwest::Client::new();
    for path in [
        format!("/a/acme/join/{token}"),
        "/a/acme/reset/reset-token-that-must-not-be-logged".into(),
        format!("/a/acme/login?reason=x&token={token}&code=424242"),
    ] {
        visitor.get(format!("{base}{path}")).send().await.unwrap();
    }
    let res = visitor
        .post(format!("{base}/api/join_info"))
        .header("Origin", base)
        .form(&[("slug", "acme"), ("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let log = shoal.log();
    assert!(log.contains("/a/acme/join/…"), "{log}");
    assert!(log.contains("/a/acme/reset/…"), "{log}");
    assert!(log.contains("token=…&code=…"), "{log}");
    assert!(!log.contains(&token), "{log}");
    assert!(
        !log.contains("reset-token-that-must-not-be-logged"),
        "{log}"
    );
    assert!(!log.contains("424242"), "{log}");
}

#[tokio::test]
async fn a_half_sent_request_holds_up_a_sigterm_no_longer_than_the_shutdown_deadline() {
    use tokio::io::AsyncWriteExt;
    let mut shoal = Shoal::start(|cmd, _| {
        cmd.env("SHOAL_SHUTDOWN_SECONDS", "2");
    })
    .await;
    let addr = format!("127.0.0.1:{}", shoal.port);
    // Headers without their blank line, and a body shorter than its Content-Length (to a route
    // that reads it: the token endpoint has no Origin check to answer first).
    let mut headers_only = tokio::net::TcpStream::connect(&addr).await.unwrap();
    headers_only
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut short_body = tokio::net::TcpStream::connect(&addr).await.unwrap();
    short_body
        .write_all(
            b"POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    shoal.terminate();
    let status = shoal.wait_exit(Duration::from_secs(8)).await;
    let took = started.elapsed();
    assert!(
        status.is_some(),
        "still running 8 s after SIGTERM:\n{}",
        shoal.log()
    );
    assert!(took < Duration::from_secs(5), "{took:?}\n{}", shoal.log());
    assert!(status.unwrap().success(), "{}", shoal.log());
    assert!(
        shoal.log().contains("shutdown deadline reached"),
        "{}",
        shoal.log()
    );
}

#[tokio::test]
async fn a_client_that_stalls_is_cut_off_by_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let shoal = Shoal::start(|_, _| {}).await;
    let addr = format!("127.0.0.1:{}", shoal.port);
    let stall = |request: &'static [u8]| {
        let addr = addr.clone();
        async move {
            let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
            stream.write_all(request).await.unwrap();
            let started = std::time::Instant::now();
            let mut answer = Vec::new();
            let closed =
                tokio::time::timeout(Duration::from_secs(45), stream.read_to_end(&mut answer))
                    .await
                    .is_ok();
            (closed, started.elapsed())
        }
    };
    let (headers, body) = tokio::join!(
        stall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"),
        stall(b"POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type"),
    );
    assert!(headers.0, "headers never finished: still open after 45 s");
    assert!(
        headers.1 >= Duration::from_secs(9) && headers.1 < Duration::from_secs(15),
        "{:?}",
        headers.1
    );
    assert!(body.0, "short body: still open after 45 s");
    assert!(
        body.1 >= Duration::from_secs(29) && body.1 < Duration::from_secs(40),
        "{:?}",
        body.1
    );
}
