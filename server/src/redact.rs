//! What the request log may show of a URL: the path and query with every secret they carry
//! replaced by `…`. An invitation or reset link is a password for whoever holds it, and logs are
//! kept longer, copied further and read by more people than the database.

use axum::http::Uri;

/// Paths whose segment marked `#` is a secret (`*` matches any one segment). A new route with a
/// token in its path gets a line here.
const SECRET_PATHS: [&[&str]; 2] = [&["a", "*", "join", "#"], &["a", "*", "reset", "#"]];

/// Query parameters whose values are secrets, whatever the path.
const SECRET_PARAMS: [&str; 2] = ["token", "code"];

const HIDDEN: &str = "…";

/// `uri`'s path and query as the request log shows them.
pub fn loggable(uri: &Uri) -> String {
    let mut out = redact_path(uri.path());
    if let Some(query) = uri.query() {
        out.push('?');
        out.push_str(&redact_query(query));
    }
    out
}

fn redact_path(path: &str) -> String {
    let mut segments: Vec<&str> = path.split('/').collect();
    // `segments[0]` is the empty text before the leading slash.
    for pattern in SECRET_PATHS {
        let matches = segments.len() > pattern.len()
            && pattern
                .iter()
                .zip(&segments[1..])
                .all(|(want, got)| matches!(*want, "*" | "#") || want == got);
        if matches {
            for (i, want) in pattern.iter().enumerate() {
                if *want == "#" && !segments[i + 1].is_empty() {
                    segments[i + 1] = HIDDEN;
                }
            }
        }
    }
    segments.join("/")
}

fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            if SECRET_PARAMS
                .iter()
                .any(|secret| decoded.eq_ignore_ascii_case(secret))
            {
                format!("{name}={HIDDEN}")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(uri: &str) -> String {
        loggable(&uri.parse().unwrap())
    }

    #[test]
    fn join_and_reset_tokens_in_the_path_are_hidden() {
        assert_eq!(log("/a/acme/join/s3cr3t-t0ken"), "/a/acme/join/…");
        assert_eq!(log("/a/acme/reset/s3cr3t-t0ken"), "/a/acme/reset/…");
        assert_eq!(log("/a/acme/join/s3cr3t/extra"), "/a/acme/join/…/extra");
        assert_eq!(log("/a/acme/join/"), "/a/acme/join/");
        assert_eq!(log("/a/acme/join"), "/a/acme/join");
    }

    #[test]
    fn other_paths_are_logged_as_they_are() {
        for path in [
            "/",
            "/a/acme",
            "/a/acme/login",
            "/a/acme/admin/learners",
            "/api/join_with_link",
            "/b/acme/join/not-a-token-route",
        ] {
            assert_eq!(log(path), path);
        }
    }

    #[test]
    fn token_and_code_values_in_the_query_are_hidden_and_the_rest_is_kept() {
        assert_eq!(
            log("/a/acme/login?reason=session-ended&token=abc&Code=123456&x"),
            "/a/acme/login?reason=session-ended&token=…&Code=…&x"
        );
        assert_eq!(log("/x?%74oken=abc"), "/x?%74oken=…");
        assert_eq!(log("/x?code"), "/x?code=…");
        assert_eq!(log("/x?tokens=1"), "/x?tokens=1");
    }
}
