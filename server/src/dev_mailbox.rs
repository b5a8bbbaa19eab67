//! `GET /dev/mailbox` (dev mode only, loopback only): the mail Shoal would have sent, newest first, so
//! invitations can be followed without an SMTP server. Plain server-rendered HTML; no scripts (the CSP
//! allows none inline).

use app::server::{
    mail::{
        dev_mailbox::{self, DevMessage},
        message::escape_html,
    },
    settings::{Mode, Settings},
    state::AppState,
};
use axum::{
    Router,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// How many messages the page shows.
pub const PAGE_SIZE: usize = 100;

/// The dev mailbox route in dev mode; nothing at all in production.
pub fn routes(settings: &Settings) -> Router<AppState> {
    if settings.mode == Mode::Dev {
        Router::new().route("/dev/mailbox", get(page))
    } else {
        Router::new()
    }
}

/// The page holds every invitation link and code: only a browser on this machine may see it. A
/// request relayed by a proxy on this machine (it says so in a forwarding header) came from
/// elsewhere.
pub fn may_see(peer: std::net::SocketAddr, headers: &HeaderMap) -> bool {
    peer.ip().to_canonical().is_loopback()
        && !headers.contains_key("x-forwarded-for")
        && !headers.contains_key(header::FORWARDED)
}

async fn page(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !may_see(peer, &headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let dir = dev_mailbox::dir_for(&state.settings);
    let messages = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || dev_mailbox::list_dir(&dir, PAGE_SIZE))
            .await
            .unwrap_or_default()
    };
    let smtp_configured = state.settings.smtp_url.is_some();
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        render(&messages, &dir.display().to_string(), smtp_configured),
    )
        .into_response()
}

/// The whole page.
pub fn render(messages: &[DevMessage], dir: &str, smtp_configured: bool) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Dev mailbox · Shoal</title>\n<link rel=\"stylesheet\" href=\"/pkg/shoal.css\">\n</head>\n\
         <body>\n<main class=\"content dev-mailbox\">\n<h1>Dev mailbox</h1>\n",
    );
    if smtp_configured {
        html.push_str(
            "<p class=\"muted\">SHOAL_SMTP_URL is set, so new mail goes to the SMTP server; \
             below is what was kept here before.</p>\n",
        );
    } else {
        html.push_str(
            "<p class=\"muted\">Mail is kept here because SHOAL_SMTP_URL is not set.</p>\n",
        );
    }
    html.push_str(&format!(
        "<p class=\"muted dev-mailbox-dir\">Files: <code>{}</code></p>\n",
        escape_html(dir)
    ));
    if messages.is_empty() {
        html.push_str(
            "<div class=\"empty-state\"><p>No messages yet. Invitations you send appear here.</p></div>\n",
        );
    } else {
        if messages.len() >= PAGE_SIZE {
            html.push_str(&format!(
                "<p class=\"muted\">Showing the newest {PAGE_SIZE} messages.</p>\n"
            ));
        }
        html.push_str("<ol class=\"mail-list\">\n");
        for m in messages {
            html.push_str(&format!(
                "<li class=\"card mail\">\n<h2 class=\"mail-subject\">{subject}</h2>\n\
                 <dl class=\"mail-meta\"><dt>To</dt><dd>{to}</dd><dt>Time</dt><dd><time datetime=\"{ms}\">{time}</time></dd>\
                 <dt>File</dt><dd><code>{file}</code></dd></dl>\n<pre class=\"mail-body\">{body}</pre>\n</li>\n",
                subject = escape_html(&m.subject),
                to = escape_html(&m.to),
                ms = m.created_at,
                time = escape_html(&m.created_at_text()),
                file = escape_html(&m.file),
                body = linkify(&m.text),
            ));
        }
        html.push_str("</ol>\n");
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// Escaped text in which every `http://` and `https://` URL is a link. A URL ends at whitespace or at
/// `<>"'`; trailing punctuation (`.,;:!?)]}`) is left outside it.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&escape_html(&rest[..start]));
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', ']', '}']) {
            end -= 1;
        }
        // `end` is at least the scheme's length: the scheme holds no stop character and ends in `/`.
        let url = &tail[..end];
        let scheme_len = if url.starts_with("https://") { 8 } else { 7 };
        if end > scheme_len {
            let url = escape_html(url);
            out.push_str(&format!("<a href=\"{url}\" rel=\"noreferrer\">{url}</a>"));
        } else {
            out.push_str(&escape_html(url));
        }
        rest = &tail[end.max(scheme_len)..];
    }
    out.push_str(&escape_html(rest));
    out
}

fn find_url_start(text: &str) -> Option<usize> {
    match (text.find("http://"), text.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_escaped_links_and_the_rest_is_escaped_text() {
        assert_eq!(
            linkify("Join: https://x.test/join/abc?a=1&b=2.\n<b>bye</b>"),
            "Join: <a href=\"https://x.test/join/abc?a=1&amp;b=2\" rel=\"noreferrer\">https://x.test/join/abc?a=1&amp;b=2</a>.\n&lt;b&gt;bye&lt;/b&gt;"
        );
        assert_eq!(
            linkify("(see http://a.test/x) and http://"),
            "(see <a href=\"http://a.test/x\" rel=\"noreferrer\">http://a.test/x</a>) and http://"
        );
        assert_eq!(
            linkify("http://a.test/\"onmouseover=\"x"),
            "<a href=\"http://a.test/\" rel=\"noreferrer\">http://a.test/</a>&quot;onmouseover=&quot;x"
        );
        assert_eq!(linkify("no links"), "no links");
    }

    #[test]
    fn only_loopback_peers_without_forwarding_headers_see_the_mailbox() {
        let none = HeaderMap::new();
        for ok in ["127.0.0.1:5000", "[::1]:5000", "[::ffff:127.0.0.1]:5000"] {
            assert!(may_see(ok.parse().unwrap(), &none), "{ok}");
        }
        for other in ["192.168.1.20:5000", "[2001:db8::1]:5000", "10.0.0.1:80"] {
            assert!(!may_see(other.parse().unwrap(), &none), "{other}");
        }
        let mut relayed = HeaderMap::new();
        relayed.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert!(!may_see("127.0.0.1:5000".parse().unwrap(), &relayed));
        let mut forwarded = HeaderMap::new();
        forwarded.insert(header::FORWARDED, "for=203.0.113.9".parse().unwrap());
        assert!(!may_see("127.0.0.1:5000".parse().unwrap(), &forwarded));
    }

    #[test]
    fn the_empty_mailbox_says_where_invitations_will_appear() {
        let html = render(&[], "/tmp/mailbox", false);
        assert!(html.contains("No messages yet. Invitations you send appear here."));
        assert!(html.contains("Mail is kept here because SHOAL_SMTP_URL is not set."));
        assert!(!html.contains("<script"));
    }
}
