//! HTTP at its edges: an unknown API path, a chunked body over the limit, HTTP Basic credentials
//! that are wrong or unreadable. Each gets the status its documentation promises.

use crate::common::TestApp;

use reqwest::Client;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn an_unknown_path_under_the_json_api_is_404_in_the_apis_envelope() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/nope", "/api/v1/learners/list"] {
        let res = Client::new()
            .post(format!("{}{path}", app.base))
            .json(&serde_json::json!({"action": "getTeams"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let v: Value = res.json().await.unwrap();
        let message = v["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("POST /api/v1/"), "{path}: {v}");
    }
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_not_400() {
    let app = TestApp::spawn().await;
    let addr = app.base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/lookup_emails HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.base
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    // 4 MB in 64 KB chunks, well past the 1 MB a request without a session may send.
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..64 {
        let sent = async {
            conn.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            conn.write_all(&chunk).await?;
            conn.write_all(b"\r\n").await
        }
        .await;
        if sent.is_err() {
            break; // the server answered and closed early
        }
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(300)]
    );
}

#[tokio::test]
async fn wrong_or_unreadable_basic_credentials_at_the_token_endpoint_are_401_invalid_client() {
    let app = TestApp::spawn().await;
    let url = format!("{}/oauth/token", app.base);
    let wrong = Client::new().post(&url).basic_auth("nobody", Some("wrong"));
    let cases = [
        (
            "wrong credentials, no grant_type",
            wrong.form(&[("scope", "")]),
        ),
        (
            "wrong credentials",
            Client::new()
                .post(&url)
                .basic_auth("nobody", Some("wrong"))
                .form(&[("grant_type", "client_credentials")]),
        ),
        (
            "not base64",
            Client::new()
                .post(&url)
                .header("Authorization", "Basic ***not-base64***")
                .form(&[("grant_type", "client_credentials")]),
        ),
        (
            "no colon",
            Client::new()
                .post(&url)
                .header("Authorization", "Basic bm9ib2R5") // "nobody"
                .form(&[("grant_type", "client_credentials")]),
        ),
    ];
    for (what, req) in cases {
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{what}");
        assert!(
            res.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Basic"),
            "{what}"
        );
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"], "invalid_client", "{what}: {v}");
    }
}
