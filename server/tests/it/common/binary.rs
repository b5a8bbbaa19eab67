//! The real `shoal` executable, started the way an operator starts it: for what only a whole process
//! shows (start-up refusals, signals, half-sent requests, its log).

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

/// `shoal` in a fresh temp dir (its working directory, data dir and SQLite database), on a free
/// loopback port, with no `SHOAL_*` variable of the test run's own environment.
pub fn command(dir: &Path, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shoal"));
    for (name, _) in std::env::vars().filter(|(k, _)| k.starts_with("SHOAL_")) {
        cmd.env_remove(name);
    }
    cmd.env("SHOAL_DATA_DIR", dir)
        .env("SHOAL_LISTEN", format!("127.0.0.1:{port}"))
        .env("SHOAL_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "info")
        .current_dir(dir);
    cmd
}

pub fn temp_dir() -> PathBuf {
    let bytes: [u8; 6] = rand::random();
    let dir = std::env::temp_dir().join(format!("shoal-bin-{}", hex::encode(bytes)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `shoal serve`; killed and its directory removed when dropped.
pub struct Shoal {
    child: Child,
    pub base: String,
    pub port: u16,
    pub dir: PathBuf,
}

impl Shoal {
    /// Starts `shoal serve` in dev mode (production needs an SMTP server), after `configure` had
    /// its say (it gets the port), and waits until `/healthz` answers on loopback. Its log goes to
    /// `shoal.log` in its directory.
    pub async fn start(configure: impl FnOnce(&mut Command, u16)) -> Shoal {
        let dir = temp_dir();
        let port = free_port();
        let log = std::fs::File::create(dir.join("shoal.log")).unwrap();
        let mut cmd = command(&dir, port);
        cmd.env("SHOAL_MODE", "dev");
        configure(&mut cmd, port);
        let child = cmd
            .arg("serve")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("shoal serve starts");
        let mut shoal = Shoal {
            child,
            base: format!("http://127.0.0.1:{port}"),
            port,
            dir,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(res) = client.get(format!("{}/healthz", shoal.base)).send().await
                && res.status() == 200
            {
                return shoal;
            }
            if let Ok(Some(status)) = shoal.child.try_wait() {
                panic!("shoal serve exited ({status}):\n{}", shoal.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "shoal serve did not answer /healthz within 10 s:\n{}",
            shoal.log()
        );
    }

    /// Everything the process wrote so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("shoal.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM, as a service manager stopping Shoal does.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to end; its exit status, or `None` if it still runs.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

impl Drop for Shoal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
