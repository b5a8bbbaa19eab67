//! The built site's files. `cargo leptos build` names every file under `/pkg` after a hash of its
//! contents and writes a brotli and a gzip copy beside it, so they are served as they are:
//! `Accept-Encoding` picks the copy (with `Vary: Accept-Encoding`), and a name that changes with
//! the contents may be cached for a year. Also the favicon, which browsers ask for on every site.

use std::path::{Path, PathBuf};

use app::server::state::{PageBundle, SiteAssets};
use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// The hash file `cargo leptos build` writes beside the server binary (where Leptos' own
/// `HydrationScripts` looks for it): lines `js: <hash>`, `wasm: <hash>`, `css: <hash>`, ….
pub fn hash_file() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join("hash.txt"))
}

/// Reads the hash file, if the build wrote one; else plain names (`cargo leptos watch`, tests).
pub fn read(output_name: &str) -> SiteAssets {
    let hashes = hash_file().and_then(|p| std::fs::read_to_string(p).ok());
    from_hashes(output_name, hashes.as_deref())
}

/// The site's files as the hash file (`kind: hash` lines) names them: `css` the stylesheet,
/// `learner-js` and `learner-wasm` the learner bundle, `visitor-js` and `visitor-wasm` the
/// visitor's (written by `.ci/build-site`, not by cargo-leptos; without them, every page loads the
/// admin bundle).
pub fn from_hashes(output_name: &str, hashes: Option<&str>) -> SiteAssets {
    let hash = |kind: &str| {
        hashes?
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == kind)
            .map(|(_, hash)| hash.trim().to_string())
    };
    let bundle = |name: &str| match (hash(&format!("{name}-js")), hash(&format!("{name}-wasm"))) {
        (Some(js), Some(wasm)) => Some(PageBundle {
            js: format!("/pkg/{name}.{js}.js"),
            wasm: format!("/pkg/{name}.{wasm}.wasm"),
        }),
        _ => None,
    };
    SiteAssets {
        hashed: hashes.is_some(),
        stylesheet: match hash("css") {
            Some(hash) => format!("/pkg/{output_name}.{hash}.css"),
            None => format!("/pkg/{output_name}.css"),
        },
        learner: bundle("learner"),
        visitor: bundle("visitor"),
    }
}

/// Refuses a site whose files carry hashed names when the hash file is missing (a binary copied
/// without its `hash.txt`): every page would ask for `/pkg/shoal.js` and get a 404.
pub fn check(site_root: &Path, output_name: &str, built: &SiteAssets) -> Result<(), String> {
    let pkg = site_root.join("pkg");
    if built.hashed || pkg.join(format!("{output_name}.js")).exists() {
        return Ok(());
    }
    let hashed = std::fs::read_dir(&pkg)
        .map(|dir| {
            dir.filter_map(Result::ok).any(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.starts_with(&format!("{output_name}.")) && name.ends_with(".js")
            })
        })
        .unwrap_or(false);
    if hashed {
        let beside = hash_file().map_or_else(|| "hash.txt".into(), |p| p.display().to_string());
        return Err(format!(
            "the site in {} has hashed file names, but {beside} is missing: copy the hash.txt \
             the build wrote beside the server binary",
            pkg.display()
        ));
    }
    Ok(())
}

/// `/pkg/*` and the favicon.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, built: &SiteAssets) -> Router<S> {
    let cache = if built.hashed {
        "public, max-age=31536000, immutable"
    } else {
        // Plain names change contents between builds: ask every time (a 304 when unchanged).
        "no-cache"
    };
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .nest_service("/pkg", pkg)
        .route("/favicon.ico", get(favicon))
        .route("/favicon.svg", get(favicon))
}

/// Shoal's mark: a small wave in the brand colour. Served at both the classic and the linked path.
const FAVICON_SVG: &str = include_str!("favicon.svg");

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON_SVG,
    )
}
