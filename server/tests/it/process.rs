//! The `shoal` executable as a whole process: what it refuses at start-up, how it stops, what it
//! does with clients that stall, and what its log keeps.

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
