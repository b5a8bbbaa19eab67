//! Outgoing email against a real SMTP server (the sink in the test harness) and the dev mailbox with its
//! `/dev/mailbox` page.

use crate::common;

use std::{path::PathBuf, time::Duration};

use app::server::{
    mail::{Mailer, OutgoingEmail},
    settings::{Secret, Settings},
};
use common::{TestApp, smtp_sink::SmtpSink};

const WAIT: Duration = Duration::from_secs(10);

fn temp_dir() -> PathBuf {
    let bytes: [u8; 6] = rand::random();
    let dir = std::env::temp_dir().join(format!("shoal-mail-test-{}", hex::encode(bytes)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Settings as `Settings::from_env` would make them, with the given SMTP URL (or none: dev mailbox).
fn settings(smtp_url: Option<String>, data_dir: PathBuf) -> Settings {
    let mut s = common::test_settings(
        "sqlite::memory:".into(),
        "http://127.0.0.1:3000",
        "127.0.0.1:3000".parse().unwrap(),
        &data_dir,
    );
    s.smtp_url = smtp_url.map(Secret::new);
    s.smtp_from = "Shoal Academy <no-reply@shoal.example>".into();
    s.site_root = "target/site".into();
    s
}

async fn smtp_mailer(sink: &SmtpSink) -> Mailer {
    Mailer::from_settings(&settings(Some(sink.url()), temp_dir())).expect("SMTP mailer")
}

fn invitation(n: u32) -> OutgoingEmail {
    OutgoingEmail {
        to_email: "zoe@example.com".into(),
        to_name: "Zoë Ångström".into(),
        subject: format!("You're invited to Acme Onboarding #{n}"),
        text: format!(
            "Hello Zoë,\n\nJoin Acme Onboarding here: https://academy.example.com/join/tok-{n}.\n\n\
             This link works once and expires in 7 days. A line long enough to need soft breaks in \
             quoted-printable: {}\n",
            "ábc ".repeat(40)
        ),
        html: format!(
            "<p>Hello Zoë,</p><p><a href=\"https://academy.example.com/join/tok-{n}\">Join</a></p>"
        ),
        message_id: format!("invite-42-{n}@shoal.example"),
        on_behalf_of: None,
        reply_to: None,
    }
}

#[tokio::test]
async fn a_message_sent_through_smtp_arrives_with_its_recipient_subject_message_id_and_both_parts()
{
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    assert!(matches!(mailer, Mailer::Smtp { .. }));
    assert_eq!(
        mailer.describe(),
        format!("SMTP server 127.0.0.1:{}", sink.port())
    );

    mailer.send(&invitation(1)).await.expect("sent");

    let mail = sink.wait_for(1, WAIT).await.remove(0);
    assert_eq!(mail.rcpt_to, vec!["zoe@example.com".to_string()]);
    assert_eq!(mail.mail_from, "no-reply@shoal.example");
    let to = mail.header_decoded("To").unwrap();
    assert_eq!(to, "Zoë Ångström <zoe@example.com>");
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("You're invited to Acme Onboarding #1")
    );
    assert_eq!(
        mail.header("Message-ID").as_deref(),
        Some("<invite-42-1@shoal.example>")
    );
    assert!(
        mail.header("From")
            .unwrap()
            .contains("<no-reply@shoal.example>"),
        "{:?}",
        mail.header("From")
    );
    assert!(mail.header("Date").is_some());
    assert!(
        mail.header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    let text = mail.text_body().expect("a text/plain part");
    assert!(text.starts_with("Hello Zoë,\n"), "{text}");
    assert!(
        text.contains(&"ábc ".repeat(40).trim_end().to_string()),
        "{text}"
    );
    assert_eq!(
        mail.links(),
        vec!["https://academy.example.com/join/tok-1".to_string()]
    );
    let html = mail.html_body().expect("a text/html part");
    assert!(
        html.contains("<a href=\"https://academy.example.com/join/tok-1\">Join</a>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_long_mostly_ascii_text_and_a_non_ascii_subject_arrive_intact() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    let mut email = invitation(1);
    email.subject = "Bienvenue à Acme, Zoë".into();
    email.text = format!(
        "Café = coffee.\n{}\n.a line starting with a dot\n.\nhttps://academy.example.com/join/x?a=1&b=2\n",
        "word ".repeat(60)
    );
    mailer.send(&email).await.expect("sent");
    let mail = sink.wait_for(1, WAIT).await.remove(0);
    assert!(
        mail.data
            .contains("Content-Transfer-Encoding: quoted-printable"),
        "{}",
        mail.data
    );
    assert_eq!(mail.text_body().unwrap(), email.text);
    assert_eq!(
        mail.header_decoded("Subject").as_deref(),
        Some("Bienvenue à Acme, Zoë")
    );
    assert_eq!(
        mail.links(),
        vec!["https://academy.example.com/join/x?a=1&b=2".to_string()]
    );
}

#[tokio::test]
async fn several_messages_at_once_all_arrive_through_the_pool() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    let sends = (1..=6).map(|n| {
        let mailer = mailer.clone();
        async move { mailer.send(&invitation(n)).await }
    });
    for result in futures_join_all(sends).await {
        result.expect("sent");
    }
    let mut ids: Vec<String> = sink
        .wait_for(6, WAIT)
        .await
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 6);
    ids.dedup();
    assert_eq!(ids.len(), 6);
}

#[tokio::test]
async fn messages_one_after_another_reuse_one_connection() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    for n in 1..=5 {
        mailer.send(&invitation(n)).await.expect("sent");
    }
    assert_eq!(sink.wait_for(5, WAIT).await.len(), 5);
    assert_eq!(sink.connections(), 1, "one connection for five messages");
}

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_replaced_without_a_failure() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    mailer.send(&invitation(1)).await.expect("sent");
    // The server restarts (or drops idle clients): the pooled connection is dead.
    sink.restart().await;
    mailer
        .send(&invitation(2))
        .await
        .expect("sent on a new connection, not reported as a failure");
    assert_eq!(sink.wait_for(2, WAIT).await.len(), 2);
    assert_eq!(sink.connections(), 2);
}

/// `join_all` without a futures dependency: spawn each and await them in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn sending_while_the_smtp_server_is_down_is_a_transient_failure_naming_its_address() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    // A first message leaves a pooled connection behind, which "SMTP down" then breaks.
    mailer.send(&invitation(1)).await.expect("sent while up");
    sink.stop().await;

    let failure = mailer.send(&invitation(2)).await.unwrap_err();
    assert!(!failure.permanent, "{failure:?}");
    assert_eq!(
        failure.message,
        format!(
            "SMTP server 127.0.0.1:{} refused the connection",
            sink.port()
        )
    );

    // Back up on the same port: the same mailer delivers again.
    sink.restart().await;
    mailer
        .send(&invitation(3))
        .await
        .expect("sent after restart");
    let ids: Vec<String> = sink
        .wait_for(2, WAIT)
        .await
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    assert_eq!(
        ids,
        ["<invite-42-1@shoal.example>", "<invite-42-3@shoal.example>"]
    );
}

#[tokio::test]
async fn a_server_that_was_never_up_is_a_transient_failure_too() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    sink.stop().await;
    drop(sink);
    let mailer = Mailer::from_settings(&settings(
        Some(format!("smtp://127.0.0.1:{port}")),
        temp_dir(),
    ))
    .unwrap();
    let failure = mailer.send(&invitation(1)).await.unwrap_err();
    assert!(!failure.permanent);
    assert!(
        failure.message.contains(&format!("127.0.0.1:{port}")),
        "{failure:?}"
    );

    // `start_on` brings a server up on that very port.
    let sink = SmtpSink::start_on(port).await;
    assert_eq!(sink.port(), port);
    mailer.send(&invitation(2)).await.expect("sent once up");
    sink.wait_for(1, WAIT).await;
}

#[tokio::test]
async fn a_550_from_the_server_is_a_permanent_failure_and_a_451_a_transient_one() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;

    sink.set_reject(Some(550));
    let failure = mailer.send(&invitation(1)).await.unwrap_err();
    assert!(failure.permanent, "{failure:?}");
    assert_eq!(
        failure.message,
        format!(
            "SMTP server 127.0.0.1:{} answered 550: 5.1.1 mailbox unavailable",
            sink.port()
        )
    );

    sink.set_reject(Some(451));
    let failure = mailer.send(&invitation(2)).await.unwrap_err();
    assert!(!failure.permanent, "{failure:?}");
    assert!(failure.message.contains("answered 451"), "{failure:?}");

    sink.set_reject(None);
    mailer.send(&invitation(3)).await.expect("accepted again");
    assert_eq!(sink.wait_for(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn a_line_break_in_the_recipient_name_or_subject_does_not_create_a_header() {
    let sink = SmtpSink::start().await;
    let mailer = smtp_mailer(&sink).await;
    let mut email = invitation(1);
    email.to_name = "Eve\r\nBcc: mallory@evil.example".into();
    email.subject = "Welcome\r\nX-Injected: yes\nBcc: trudy@evil.example".into();

    mailer.send(&email).await.expect("sent");

    let mail = sink.wait_for(1, WAIT).await.remove(0);
    let names = mail.header_names();
    assert!(!names.contains(&"bcc".to_string()), "{names:?}");
    assert!(!names.contains(&"x-injected".to_string()), "{names:?}");
    assert_eq!(mail.headers_named("To").len(), 1);
    assert_eq!(mail.rcpt_to, vec!["zoe@example.com".to_string()]);
    assert!(!mail.data.contains("\r\nBcc:"), "{}", mail.data);
    let subject = mail.header("Subject").unwrap();
    assert!(subject.starts_with("Welcome"), "{subject}");
}

#[tokio::test]
async fn smtp_credentials_are_used_but_never_appear_in_a_failure() {
    let sink = SmtpSink::start().await;
    sink.set_auth(Some(("shoal", "correct-horse")));

    let good = Mailer::from_settings(&settings(
        Some(sink.url_with_credentials("shoal", "correct-horse")),
        temp_dir(),
    ))
    .unwrap();
    good.send(&invitation(1)).await.expect("sent with AUTH");
    let mail = sink.wait_for(1, WAIT).await.remove(0);
    assert_eq!(mail.auth_user.as_deref(), Some("shoal"));

    let bad = Mailer::from_settings(&settings(
        Some(sink.url_with_credentials("shoal", "hunter2-wrong")),
        temp_dir(),
    ))
    .unwrap();
    assert!(!format!("{bad:?}").contains("hunter2"));
    assert!(!bad.describe().contains("hunter2"));
    let failure = bad.send(&invitation(2)).await.unwrap_err();
    assert!(failure.permanent, "{failure:?}");
    assert!(failure.message.contains("535"), "{failure:?}");
    assert!(!failure.message.contains("hunter2"), "{failure:?}");
    assert!(!failure.message.contains("shoal:"), "{failure:?}");

    // Down: the message names host and port only.
    sink.stop().await;
    let failure = bad.send(&invitation(3)).await.unwrap_err();
    assert!(!failure.message.contains("hunter2"), "{failure:?}");
    assert!(
        failure
            .message
            .contains(&format!("127.0.0.1:{}", sink.port()))
    );
}

#[tokio::test]
async fn a_bad_smtp_url_or_from_address_is_refused_with_the_variable_name_and_without_the_password()
{
    let e = Mailer::from_settings(&settings(
        Some("smtp://user:hunter2@mail.example.com?tls=sometimes".into()),
        temp_dir(),
    ))
    .unwrap_err();
    assert!(e.contains("SHOAL_SMTP_URL"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");

    let mut s = settings(None, temp_dir());
    s.smtp_from = "Shoal no-reply".into();
    let e = Mailer::from_settings(&s).unwrap_err();
    assert!(e.contains("SHOAL_SMTP_FROM"), "{e}");
}

#[tokio::test]
async fn without_an_smtp_url_mail_goes_to_the_dev_mailbox_which_lists_it_newest_first() {
    let dir = temp_dir();
    let mailer = Mailer::from_settings(&settings(None, dir.clone())).unwrap();
    let Mailer::DevMailbox(mailbox) = &mailer else {
        panic!("expected the dev mailbox, got {mailer:?}");
    };
    assert_eq!(mailbox.dir(), dir.join("mailbox"));
    assert!(mailbox.list(10).is_empty());

    mailer.send(&invitation(1)).await.expect("written");
    tokio::time::sleep(Duration::from_millis(5)).await;
    mailer.send(&invitation(2)).await.expect("written");

    let listed = mailbox.list(10);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].subject, "You're invited to Acme Onboarding #2");
    assert_eq!(listed[1].subject, "You're invited to Acme Onboarding #1");
    assert_eq!(listed[0].to, "Zoë Ångström <zoe@example.com>");
    assert!(
        listed[0]
            .text
            .contains("https://academy.example.com/join/tok-2")
    );
    assert_eq!(mailbox.list(1).len(), 1);

    let eml = std::fs::read_to_string(dir.join("mailbox").join(&listed[0].file)).unwrap();
    assert!(
        listed[0].file.ends_with("-invite-42-2@shoal.example.eml"),
        "{}",
        listed[0].file
    );
    assert!(
        eml.contains("Message-ID: <invite-42-2@shoal.example>\r\n"),
        "{eml}"
    );
    assert!(eml.contains("multipart/alternative"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_dev_mailbox_page_lists_messages_with_clickable_links_and_escapes_what_they_say() {
    let app = TestApp::spawn().await;
    let browser = app.browser();

    let res = app.get(&browser, "/dev/mailbox").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Dev mailbox"));
    assert!(html.contains("Mail is kept here because SHOAL_SMTP_URL is not set."));
    assert!(html.contains("No messages yet. Invitations you send appear here."));

    let mailer = Mailer::from_settings(&app.state.settings).unwrap();
    let mut email = invitation(7);
    email.subject = "<script>alert(1)</script> Welcome & more".into();
    email.text = "Join: https://academy.example.com/join/a?b=1&c=2.\n<b>not bold</b>".into();
    mailer.send(&email).await.expect("written");

    let res = app.get(&browser, "/dev/mailbox").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(!html.contains("No messages yet."));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Welcome &amp; more"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains(
            "<a href=\"https://academy.example.com/join/a?b=1&amp;c=2\" rel=\"noreferrer\">https://academy.example.com/join/a?b=1&amp;c=2</a>."
        ),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;not bold&lt;/b&gt;"));
    assert!(
        html.contains("Zoë Ångström &lt;zoe@example.com&gt;"),
        "{html}"
    );
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/pkg/shoal.css\">"));
}

#[tokio::test]
async fn the_dev_mailbox_page_does_not_exist_in_production() {
    let app = TestApp::spawn_with(common::production).await;
    let res = app.get(&app.browser(), "/dev/mailbox").await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_ne!(status, 200, "{html}");
    assert!(!html.contains("Dev mailbox"));
}

#[tokio::test]
async fn the_dev_mailbox_answers_a_browser_on_this_machine_but_not_a_request_relayed_by_a_proxy() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    assert_eq!(app.get(&browser, "/dev/mailbox").await.status(), 200);
    let relayed = browser
        .get(format!("{}/dev/mailbox", app.base))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(relayed.status(), 404);
    let text = relayed.text().await.unwrap();
    assert!(!text.contains("Dev mailbox"), "{text}");
}

#[tokio::test]
async fn a_server_given_smtp_credentials_without_tls_refuses_to_start_and_says_what_to_change() {
    let dir = temp_dir();
    let mut s = settings(
        Some("smtp://shoal:hunter2@mail.example.com:587".into()),
        dir.clone(),
    );
    s.database_url = Secret::new(format!("sqlite://{}/shoal.db", dir.display()));
    let e = server::App::build(s).await.err().expect("refused");
    assert!(e.contains("SHOAL_SMTP_URL"), "{e}");
    assert!(e.contains("smtps://") && e.contains("tls=required"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    assert!(
        !dir.join("shoal.db").exists(),
        "refused before the database"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
