//! The built site's files as browsers get them: the brotli or gzip copy the build made, chosen by
//! `Accept-Encoding`; hashed names cached for a year; pages and answers never cached.

use crate::common::{OWNER_EMAIL, OWNER_PASSWORD, TestApp};

use app::domain::role::Role;
use app::server::state::SiteAssets;
use axum::{body::Body, http::Request};
use reqwest::Client;
use tower::ServiceExt;

/// A site folder as `cargo leptos build --release --precompress` leaves it: a WASM file with a
/// hashed name and its two compressed copies (contents told apart by their first bytes).
fn built_site() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("shoal-site-{}", rand::random::<u64>()));
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("shoal.abc123.wasm"), b"\0asm plain").unwrap();
    std::fs::write(pkg.join("shoal.abc123.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(pkg.join("shoal.abc123.wasm.gz"), b"gzip copy").unwrap();
    dir
}

async fn fetch(
    site: &std::path::Path,
    hashed: bool,
    accept_encoding: &str,
) -> axum::response::Response {
    let assets = SiteAssets {
        hashed,
        stylesheet: "/pkg/shoal.css".into(),
        learner: None,
        visitor: None,
    };
    let router = server::assets::routes::<()>(site, &assets);
    router
        .oneshot(
            Request::get("/pkg/shoal.abc123.wasm")
                .header("accept-encoding", accept_encoding)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
}

async fn body(res: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn a_brotli_accepting_browser_gets_the_brotli_copy_of_the_wasm() {
    let site = built_site();
    let res = fetch(&site, true, "gzip, deflate, br, zstd").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert!(
        res.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert_eq!(body(res).await, b"brotli copy");
}

#[tokio::test]
async fn a_gzip_only_client_gets_the_gzip_copy_and_others_the_plain_file() {
    let site = built_site();
    let res = fetch(&site, true, "gzip").await;
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(body(res).await, b"gzip copy");
    let res = fetch(&site, true, "identity").await;
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(body(res).await, b"\0asm plain");
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_plain_names_are_checked_every_time() {
    let site = built_site();
    let res = fetch(&site, true, "br").await;
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let res = fetch(&site, false, "br").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn the_favicon_is_served_and_cached_instead_of_a_404_page() {
    let app = TestApp::spawn().await;
    for path in ["/favicon.ico", "/favicon.svg"] {
        let res = app.get(&app.browser(), path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
        assert!(res.text().await.unwrap().starts_with("<svg"));
    }
}

#[tokio::test]
async fn signed_in_pages_and_server_function_answers_are_never_stored() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let page = app.get(&owner, "/a/acme/admin/learners").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let answer = app
        .sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["cache-control"], "no-store");
}

/// A release build's hash file: the admin bundle, the stylesheet, the learner and the visitor
/// bundles.
const RELEASE_HASHES: &str = "js: Gl\nwasm: Ma\ncss: St\nlearner-js: Lj\nlearner-wasm: Lw\n\
                              visitor-js: Vj\nvisitor-wasm: Vw\n";

/// Which bundle a page's HTML starts: the visitor's, the learner's, the admin's (Leptos'
/// hydration script, which names `shoal`), or several, which would be a bug.
fn bundle(html: &str) -> String {
    let own = |name: &str, js: &str, wasm: &str| {
        html.contains(&format!(
            r#"<link rel="modulepreload" href="/pkg/{name}.{js}.js">"#
        )) && html.contains(&format!(r#"href="/pkg/{name}.{wasm}.wasm""#))
            && html.contains(&format!(
                r#"import init, {{ hydrate }} from "/pkg/{name}.{js}.js";"#
            ))
    };
    // (This test's binary has no hash file beside it, so Leptos names the admin glue plainly.)
    let found: Vec<&str> = [
        ("visitor", own("visitor", "Vj", "Vw")),
        ("learner", own("learner", "Lj", "Lw")),
        (
            "admin",
            html.contains(r#"<link rel="modulepreload" href="/pkg/shoal.js""#),
        ),
    ]
    .into_iter()
    .filter_map(|(name, found)| found.then_some(name))
    .collect();
    if found.is_empty() {
        "none".into()
    } else {
        found.join(" and ")
    }
}

#[tokio::test]
async fn a_visitor_s_page_loads_the_visitor_bundle_a_learner_s_the_learner_bundle_and_an_admin_page_the_admin_bundle()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let site = app.base_serving_site(RELEASE_HASHES).await;
    let visitor = app.browser();
    let mut wrong = Vec::new();
    let pages: [(&Client, &str, &str); 12] = [
        (&visitor, "/a/acme", "visitor"),
        (&visitor, "/a/acme/login", "visitor"),
        (&visitor, "/a/acme/forgot", "visitor"),
        (&visitor, "/a/acme/reset/no-such-link", "visitor"),
        (&visitor, "/a/acme/join/no-such-invitation", "visitor"),
        (&learner, "/a/acme/account", "learner"),
        (&learner, "/a/acme", "learner"),
        (&learner, "/a/acme/join/no-such-invitation", "learner"),
        (&owner, "/a/acme/admin/learners", "admin"),
        (&owner, "/a/acme/admin/settings", "admin"),
        (&visitor, "/no/such/page", "admin"),
        (&learner, "/no/such/page", "admin"),
    ];
    for (client, path, expected) in pages {
        let res = client
            .get(format!("{site}{path}"))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        let status = res.status();
        let html = res.text().await.unwrap();
        let got = bundle(&html);
        if got != expected || !(status == 200 || status == 404) {
            wrong.push(format!(
                "{path}: {status}, {got} bundle (expected {expected})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_stale_session_cookie_gets_the_learner_bundle_which_has_every_visitor_page() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let site = app.base_serving_site(RELEASE_HASHES).await;
    let res = app
        .browser()
        .get(format!("{site}/a/acme/login"))
        .header("Accept", "text/html")
        .header("Cookie", "shoal_session=expired-long-ago")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Sign in"), "{html}");
    assert_eq!(bundle(&html), "learner");
}

#[tokio::test]
async fn without_the_page_bundles_every_page_loads_the_admin_bundle() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let site = app.base_serving_site("js: Gl\nwasm: Ma\ncss: St\n").await;
    let html = app
        .browser()
        .get(format!("{site}/a/acme/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(bundle(&html), "admin", "{html}");
}

#[test]
fn the_hash_file_names_the_stylesheet_and_the_page_bundles() {
    let assets = server::assets::from_hashes("shoal", Some(RELEASE_HASHES));
    assert!(assets.hashed);
    assert_eq!(assets.stylesheet, "/pkg/shoal.St.css");
    let learner = assets.learner.unwrap();
    assert_eq!(learner.js, "/pkg/learner.Lj.js");
    assert_eq!(learner.wasm, "/pkg/learner.Lw.wasm");
    let visitor = assets.visitor.unwrap();
    assert_eq!(visitor.js, "/pkg/visitor.Vj.js");
    assert_eq!(visitor.wasm, "/pkg/visitor.Vw.wasm");
    // A build without them (cargo-leptos), with half of one, or without a hash file at all.
    let half = server::assets::from_hashes(
        "shoal",
        Some("js: Gl\nwasm: Ma\ncss: St\nlearner-js: Lj\nvisitor-wasm: Vw\n"),
    );
    assert!(half.learner.is_none() && half.visitor.is_none());
    let plain = server::assets::from_hashes("shoal", None);
    assert!(!plain.hashed && plain.learner.is_none() && plain.visitor.is_none());
    assert_eq!(plain.stylesheet, "/pkg/shoal.css");
}
