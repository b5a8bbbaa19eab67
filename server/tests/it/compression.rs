//! Pages go out compressed to a visitor without a session (the first contact of a phone), and
//! never to one with a session (BREACH: `middleware::compress_signed_out_pages`).

use std::io::Read;

use crate::common::TestApp;
use reqwest::Client;

async fn page(
    app: &TestApp,
    client: &Client,
    path: &str,
    accept_encoding: &str,
) -> reqwest::Response {
    client
        .get(format!("{}{path}", app.base))
        .header("accept", "text/html,application/xhtml+xml")
        .header("accept-encoding", accept_encoding)
        .send()
        .await
        .expect("request sent")
}

fn decoded(encoding: &str, bytes: &[u8]) -> String {
    let mut text = String::new();
    match encoding {
        "br" => brotli::Decompressor::new(bytes, 4096)
            .read_to_string(&mut text)
            .unwrap(),
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap(),
        other => panic!("unexpected encoding {other}"),
    };
    text
}

#[tokio::test]
async fn a_signed_out_visitor_gets_pages_brotli_or_gzip_compressed_as_the_browser_accepts() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    for (path, heading) in [
        ("/a/acme/login", "Sign in"),
        ("/a/acme", "Welcome."),
        ("/no-such-page", "No academy at this address"),
    ] {
        for (accepts, encoding) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")] {
            let res = page(&app, &app.browser(), path, accepts).await;
            assert_eq!(res.headers()["content-encoding"], encoding, "{path}");
            assert!(
                res.headers()["vary"]
                    .to_str()
                    .unwrap()
                    .to_ascii_lowercase()
                    .contains("accept-encoding"),
                "{path}"
            );
            assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
            let bytes = res.bytes().await.unwrap();
            let html = decoded(encoding, &bytes);
            assert!(html.starts_with("<!DOCTYPE html>"), "{path}: {html}");
            assert!(html.contains(heading), "{path}: {html}");
            assert!(html.contains("</body>"), "{path}: {html}");
            assert!(
                bytes.len() < html.len(),
                "{path}: {} bytes for {} of HTML",
                bytes.len(),
                html.len()
            );
        }
        let res = page(&app, &app.browser(), path, "identity").await;
        assert!(res.headers().get("content-encoding").is_none(), "{path}");
    }
}

#[tokio::test]
async fn a_request_with_a_session_cookie_gets_its_page_uncompressed() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    for path in ["/a/acme/admin/learners", "/a/acme/login", "/a/acme"] {
        let res = page(&app, &owner, path, "gzip, deflate, br, zstd").await;
        assert!(
            res.headers().get("content-encoding").is_none(),
            "{path}: {:?}",
            res.headers().get("content-encoding")
        );
        assert!(
            res.text().await.unwrap().starts_with("<!DOCTYPE html>"),
            "{path}"
        );
    }
}
