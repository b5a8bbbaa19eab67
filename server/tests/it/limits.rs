//! Abuse limits that hold: who the client is (behind trusted proxies only), limiter keys of bounded
//! size, and counting that happens atomically before the expensive work.

use crate::common::TestApp;

use app::server::{client_ip::TrustedProxies, services::sign_in};

/// A failed sign-in with a fresh address (so no account's own limit is reached), sent with
/// `X-Forwarded-For: forwarded_for`. Returns the status.
async fn sign_in_forwarded_for(app: &TestApp, forwarded_for: &str, n: usize) -> u16 {
    let email = format!("nobody{n}@example.com");
    app.browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", &app.base)
        .header("Accept", "application/json")
        .header("X-Forwarded-For", forwarded_for)
        .form(&[
            ("slug", "acme"),
            ("email", email.as_str()),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const PER_IP: usize = sign_in::PER_IP.max as usize;

#[tokio::test]
async fn a_spoofed_x_forwarded_for_from_a_peer_that_is_no_trusted_proxy_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        let status = sign_in_forwarded_for(&app, &format!("198.51.100.{n}"), n).await;
        assert_eq!(status, 422, "attempt {n}");
    }
    // Every attempt came from 127.0.0.1, whatever the header claimed.
    assert_eq!(
        sign_in_forwarded_for(&app, "198.51.100.250", PER_IP).await,
        429
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        assert_eq!(sign_in_forwarded_for(&app, "203.0.113.7", n).await, 422);
    }
    let res_full = sign_in_forwarded_for(&app, "203.0.113.7", PER_IP).await;
    assert_eq!(res_full, 429, "the forwarded client's limit is reached");
    // The client wrote the left-most entry; the proxy appended the real one.
    assert_eq!(
        sign_in_forwarded_for(&app, "203.0.113.7, 203.0.113.8", PER_IP + 1).await,
        422,
        "another client behind the same proxy is not locked out"
    );
}

#[tokio::test]
async fn two_ipv6_addresses_of_one_64_share_a_limit_and_the_next_64_does_not() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        let addr = format!("2001:db8:1:2::{:x}", n + 1);
        assert_eq!(sign_in_forwarded_for(&app, &addr, n).await, 422);
    }
    assert_eq!(
        sign_in_forwarded_for(&app, "2001:db8:1:2:ffff:ffff:ffff:fffe", PER_IP).await,
        429,
        "a fresh address of the same /64"
    );
    assert_eq!(
        sign_in_forwarded_for(&app, "2001:db8:1:3::1", PER_IP + 1).await,
        422,
        "the neighbouring /64"
    );
}
