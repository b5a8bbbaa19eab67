//! A real SMTP server for tests: listens on 127.0.0.1, speaks enough ESMTP for lettre (EHLO/HELO, MAIL, RCPT,
//! DATA with dot-unstuffing, RSET, NOOP, QUIT, and AUTH PLAIN/LOGIN when asked for), serves several connections
//! at once and keeps every message it accepts. It can be stopped ("SMTP down"), brought back on the same port,
//! and told to refuse recipients with a given reply code.

#![allow(dead_code)]

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    task::{AbortHandle, JoinHandle},
};

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The reverse path of `MAIL FROM:<…>`, without brackets.
    pub mail_from: String,
    /// The `RCPT TO:<…>` addresses, without brackets.
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA`, dot-unstuffed, with its CRLF line ends.
    pub data: String,
    /// The user name of a successful `AUTH`, if the client authenticated.
    pub auth_user: Option<String>,
}

#[derive(Default)]
struct Shared {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    reject: Mutex<Option<u16>>,
    auth: Mutex<Option<(String, String)>>,
    connections: AtomicUsize,
    accept: Mutex<Option<JoinHandle<()>>>,
    conns: Mutex<Vec<AbortHandle>>,
}

pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
}

impl SmtpSink {
    /// A sink on a free port.
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    /// A sink on `port` (e.g. the port of a stopped sink, to bring "SMTP" back up there).
    pub async fn start_on(port: u16) -> SmtpSink {
        let mut sink = SmtpSink {
            port,
            shared: Arc::new(Shared::default()),
        };
        sink.port = sink.listen(port).await;
        sink
    }

    /// `smtp://127.0.0.1:PORT` — plain SMTP, no TLS.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// `smtp://user:password@127.0.0.1:PORT`, for a sink that requires AUTH.
    pub fn url_with_credentials(&self, user: &str, password: &str) -> String {
        format!("smtp://{user}:{password}@127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The message store itself (shared with the connections).
    pub fn received(&self) -> Arc<Mutex<Vec<ReceivedMail>>> {
        self.shared.received.clone()
    }

    /// A copy of every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.received.lock().unwrap().clone()
    }

    /// How many TCP connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` messages arrived and returns them all; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "SMTP sink: expected {n} message(s) within {timeout:?}, got {}",
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `Some(code)`: answer every `RCPT TO` with `code` (e.g. 550 permanent, 451 transient). `None`: accept.
    /// Waits (up to 10 s) for the first message to `to` whose subject contains `subject`.
    pub async fn wait_mail(&self, to: &str, subject: &str) -> ReceivedMail {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| {
                m.rcpt_to.iter().any(|r| r == to)
                    && m.header_decoded("Subject")
                        .is_some_and(|s| s.contains(subject))
            }) {
                return m;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no email to {to} about {subject:?}; got {:?}",
                self.messages()
                    .iter()
                    .map(|m| (m.rcpt_to.clone(), m.header_decoded("Subject")))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn set_reject(&self, code: Option<u16>) {
        *self.shared.reject.lock().unwrap() = code;
    }

    /// `Some((user, password))`: advertise `AUTH PLAIN LOGIN` and require it before `MAIL`.
    pub fn set_auth(&self, credentials: Option<(&str, &str)>) {
        *self.shared.auth.lock().unwrap() =
            credentials.map(|(u, p)| (u.to_string(), p.to_string()));
    }

    /// "SMTP down": closes the listener and drops every open connection. Messages are kept.
    pub async fn stop(&self) {
        let accept = self.shared.accept.lock().unwrap().take();
        if let Some(task) = accept {
            task.abort();
            let _ = task.await;
        }
        for conn in self.shared.conns.lock().unwrap().drain(..) {
            conn.abort();
        }
    }

    /// Back "up" on the same port, with the same messages and settings.
    pub async fn restart(&self) {
        self.stop().await;
        self.listen(self.port).await;
    }

    /// Binds (retrying briefly while the port is still being released) and starts accepting.
    async fn listen(&self, port: u16) -> u16 {
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => break l,
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("SMTP sink: cannot listen on 127.0.0.1:{port}: {e}"),
            }
        };
        let port = listener.local_addr().unwrap().port();
        let shared = self.shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let conn = tokio::spawn(serve(stream, shared.clone()));
                let mut conns = shared.conns.lock().unwrap();
                conns.retain(|c| !c.is_finished());
                conns.push(conn.abort_handle());
            }
        });
        *self.shared.accept.lock().unwrap() = Some(task);
        port
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(task) = self.shared.accept.lock().unwrap().take() {
            task.abort();
        }
        for conn in self.shared.conns.lock().unwrap().drain(..) {
            conn.abort();
        }
    }
}

/// The address inside `<…>` (or the whole argument when there are no brackets), without ESMTP parameters.
fn path_of(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(a), Some(b)) if a < b => arg[a + 1..b].to_string(),
        _ => arg.split_whitespace().next().unwrap_or("").to_string(),
    }
}

fn reject_line(code: u16) -> String {
    match code {
        550 => "550 5.1.1 mailbox unavailable".into(),
        400..=499 => format!("{code} 4.3.0 try again later"),
        _ => format!("{code} 5.7.1 recipient rejected"),
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let _ = session(stream, shared).await;
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write
        .write_all(b"220 sink.localhost ESMTP Shoal test sink\r\n")
        .await?;
    let mut from: Option<String> = None;
    let mut rcpts: Vec<String> = Vec::new();
    let mut user: Option<String> = None;
    loop {
        let Some(line) = read_line(&mut read).await? else {
            return Ok(());
        };
        let upper = line.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("").to_string();
        let auth = shared.auth.lock().unwrap().clone();
        let answer: String = match verb.as_str() {
            "EHLO" => {
                let mut lines = vec!["250-sink.localhost".to_string(), "250-8BITMIME".into()];
                lines.push("250-SMTPUTF8".into());
                if auth.is_some() {
                    lines.push("250-AUTH PLAIN LOGIN".into());
                }
                lines.push("250 SIZE 10485760".into());
                lines.join("\r\n")
            }
            "HELO" => "250 sink.localhost".into(),
            "AUTH" => match auth {
                None => "503 5.5.1 Error: authentication not enabled".into(),
                Some((want_user, want_password)) => {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    let mechanism = words.get(1).map(|m| m.to_ascii_uppercase());
                    let given = match mechanism.as_deref() {
                        Some("PLAIN") => {
                            let initial = match words.get(2) {
                                Some(i) => i.to_string(),
                                None => {
                                    write.write_all(b"334 \r\n").await?;
                                    read_line(&mut read).await?.unwrap_or_default()
                                }
                            };
                            let decoded =
                                String::from_utf8_lossy(&base64_decode(&initial)).to_string();
                            let mut parts = decoded.split('\0').skip(1);
                            Some((
                                parts.next().unwrap_or("").to_string(),
                                parts.next().unwrap_or("").to_string(),
                            ))
                        }
                        Some("LOGIN") => {
                            write.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                            let u = read_line(&mut read).await?.unwrap_or_default();
                            write.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                            let p = read_line(&mut read).await?.unwrap_or_default();
                            Some((
                                String::from_utf8_lossy(&base64_decode(&u)).to_string(),
                                String::from_utf8_lossy(&base64_decode(&p)).to_string(),
                            ))
                        }
                        _ => None,
                    };
                    match given {
                        None => "504 5.5.4 Unrecognized authentication type".into(),
                        Some((u, p)) if u == want_user && p == want_password => {
                            user = Some(u);
                            "235 2.7.0 Authentication successful".into()
                        }
                        Some(_) => "535 5.7.8 Error: authentication failed".into(),
                    }
                }
            },
            "MAIL" if upper.starts_with("MAIL FROM:") => {
                if auth.is_some() && user.is_none() {
                    "530 5.7.0 Authentication required".into()
                } else {
                    from = Some(path_of(&line[10..]));
                    rcpts.clear();
                    "250 2.1.0 Ok".into()
                }
            }
            "RCPT" if upper.starts_with("RCPT TO:") => {
                let reject = *shared.reject.lock().unwrap();
                match (&from, reject) {
                    (None, _) => "503 5.5.1 Error: need MAIL command".into(),
                    (Some(_), Some(code)) => reject_line(code),
                    (Some(_), None) => {
                        rcpts.push(path_of(&line[8..]));
                        "250 2.1.5 Ok".into()
                    }
                }
            }
            "DATA" => {
                if from.is_none() || rcpts.is_empty() {
                    "503 5.5.1 Error: need RCPT command".into()
                } else {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let mut data: Vec<u8> = Vec::new();
                    loop {
                        let mut raw = Vec::new();
                        if read.read_until(b'\n', &mut raw).await? == 0 {
                            return Ok(());
                        }
                        if raw == b".\r\n" || raw == b".\n" {
                            break;
                        }
                        let unstuffed = if raw.starts_with(b".") {
                            &raw[1..]
                        } else {
                            &raw[..]
                        };
                        data.extend_from_slice(unstuffed);
                    }
                    let mut received = shared.received.lock().unwrap();
                    received.push(ReceivedMail {
                        mail_from: from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpts),
                        data: String::from_utf8_lossy(&data).to_string(),
                        auth_user: user.clone(),
                    });
                    format!("250 2.0.0 Ok: queued as {}", received.len())
                }
            }
            "RSET" => {
                from = None;
                rcpts.clear();
                "250 2.0.0 Ok".into()
            }
            "NOOP" => "250 2.0.0 Ok".into(),
            "VRFY" => "252 2.0.0 Cannot VRFY user".into(),
            "STARTTLS" => "454 4.7.0 TLS not available".into(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            "MAIL" | "RCPT" => "501 5.5.4 Syntax error in parameters".into(),
            _ => "502 5.5.2 Error: command not recognized".into(),
        };
        write.write_all(format!("{answer}\r\n").as_bytes()).await?;
    }
}

/// One command line without its line end; `None` at end of stream.
async fn read_line(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Option<String>> {
    let mut raw = Vec::new();
    if read.read_until(b'\n', &mut raw).await? == 0 {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&raw)
            .trim_end_matches(['\r', '\n'])
            .to_string(),
    ))
}

// ---- Reading received messages -------------------------------------------------------------------------

/// Headers (unfolded) and body of a message or MIME part.
fn split_entity(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = match raw.find("\r\n\r\n") {
        Some(i) => (&raw[..i], &raw[i + 4..]),
        None => match raw.find("\n\n") {
            Some(i) => (&raw[..i], &raw[i + 2..]),
            None => (raw, ""),
        },
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        } else {
            // A line that is neither a header nor a continuation: keep it visible as a nameless header.
            headers.push((line.to_string(), String::new()));
        }
    }
    (headers, body)
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A parameter of a header value like `multipart/alternative; boundary="x"`.
fn header_param(value: &str, param: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(param)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The decoded body of the first part whose type is `mime` (e.g. `text/plain`), with `\n` line ends.
fn find_part(raw: &str, mime: &str) -> Option<String> {
    let (headers, body) = split_entity(raw);
    let content_type = find_header(&headers, "Content-Type").unwrap_or("text/plain");
    let kind = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if kind.starts_with("multipart/") {
        let boundary = header_param(content_type, "boundary")?;
        let delimiter = format!("--{boundary}");
        return body
            .split(delimiter.as_str())
            .skip(1)
            .take_while(|part| !part.starts_with("--"))
            .find_map(|part| {
                let part = part
                    .strip_prefix("\r\n")
                    .or(part.strip_prefix('\n'))
                    .unwrap_or(part);
                let part = part
                    .strip_suffix("\r\n")
                    .or(part.strip_suffix('\n'))
                    .unwrap_or(part);
                find_part(part, mime)
            });
    }
    if kind != mime {
        return None;
    }
    let encoding = find_header(&headers, "Content-Transfer-Encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => quoted_printable_decode(body),
        "base64" => base64_decode(body),
        _ => body.as_bytes().to_vec(),
    };
    Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
}

impl ReceivedMail {
    /// The first top-level header called `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = split_entity(&self.data);
        find_header(&headers, name).map(str::to_string)
    }

    /// Like [`header`](Self::header), with RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded.
    pub fn header_decoded(&self, name: &str) -> Option<String> {
        self.header(name).map(|v| decode_words(&v))
    }

    /// Every top-level header called `name`.
    pub fn headers_named(&self, name: &str) -> Vec<String> {
        let (headers, _) = split_entity(&self.data);
        headers
            .into_iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect()
    }

    /// The names of the top-level headers, in order (lower-cased).
    pub fn header_names(&self) -> Vec<String> {
        let (headers, _) = split_entity(&self.data);
        headers
            .into_iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect()
    }

    /// The text/plain part, decoded (quoted-printable or base64), with `\n` line ends.
    pub fn text_body(&self) -> Option<String> {
        find_part(&self.data, "text/plain")
    }

    /// The text/html part, decoded.
    pub fn html_body(&self) -> Option<String> {
        find_part(&self.data, "text/html")
    }

    /// The `http://` and `https://` URLs in the text body, in order.
    pub fn links(&self) -> Vec<String> {
        let text = self.text_body().unwrap_or_default();
        let mut links = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = ["http://", "https://"]
            .iter()
            .filter_map(|s| rest.find(s))
            .min()
        {
            let tail = &rest[start..];
            let mut end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
                .unwrap_or(tail.len());
            while tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', ']', '}']) {
                end -= 1;
            }
            if !tail[..end].ends_with("//") {
                links.push(tail[..end].to_string());
            }
            rest = &tail[end..];
        }
        links
    }
}

/// Decodes RFC 2047 encoded words; whitespace between two encoded words is dropped.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending_space = String::new();
    let mut previous_was_word = false;
    for (i, token) in value.split(' ').enumerate() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let _charset = parts.next()?;
                let encoding = parts.next()?.to_ascii_lowercase();
                let text = parts.next()?;
                let bytes = match encoding.as_str() {
                    "b" => base64_decode(text),
                    "q" => quoted_printable_decode(&text.replace('_', " ")),
                    _ => return None,
                };
                Some(String::from_utf8_lossy(&bytes).to_string())
            });
        if i > 0 {
            pending_space.push(' ');
        }
        match decoded {
            Some(text) => {
                if !previous_was_word {
                    out.push_str(&pending_space);
                }
                out.push_str(&text);
                previous_was_word = true;
            }
            None => {
                out.push_str(&pending_space);
                out.push_str(token);
                previous_was_word = false;
            }
        }
        pending_space.clear();
    }
    out
}

pub fn quoted_printable_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if bytes[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            if i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a' + 26) as u32),
            b'0'..=b'9' => Some((c - b'0' + 52) as u32),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
