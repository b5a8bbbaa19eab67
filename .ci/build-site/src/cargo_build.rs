//! The two compiles: the browser's WASM and the release server.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::project::{Project, cargo};

/// The compiled modules: `lib-package`'s, and each other bundle's with its name.
pub struct Compiled {
    pub main: PathBuf,
    pub bundles: Vec<(String, PathBuf)>,
}

/// Compiles the WASM (`lib-package`, and the other bundles' packages, for wasm32 with
/// `lib-profile-release`, in one cargo run: they share every crate but their own) and returns
/// the modules.
///
/// Its standard library is compiled with it (cargo's build-std), optimised for size like the rest,
/// with panic locations left out (`-Zlocation-detail=none`): measured on the learner's first
/// module, 1.24 MB -> 1.12 MB raw, 329 -> 299 KB brotli. A panic stops the module at once, with
/// no message (`-Cpanic=immediate-abort`: no formatting of panic messages anywhere; the page's
/// own script marks the page broken when the module traps, `site::shell`), and a derived `Debug`
/// prints only the type's or unit variant's name (`-Zfmt-debug=shallow`; nothing the browser
/// shows comes from a derived `Debug`): learner module 263.0 -> 254.5 -> 251.8 KB brotli.
/// Dev builds (`make run`) keep both, messages and all. None of these flags is stabilised:
/// `RUSTC_BOOTSTRAP=1` lets the stable toolchain (the same compiler, with its rust-src component,
/// which tools.sh installs) accept them (the Makefile sets it for every build too, for cargo's
/// checksum freshness; set here as well so this command never depends on it).
/// (`frontend/build.rs` adds the link flags wasm-split needs to that bundle alone.)
/// `erase_components` is repeated because RUSTFLAGS replaces `.cargo/config.toml`'s flags.
pub fn wasm(project: &Project) -> Result<Compiled> {
    let profile = &project.lib_profile_release;
    let target_dir = project.front_target_dir();
    run(Command::new(cargo())
        .current_dir(&project.root)
        .args(["build", "--lib", "--target=wasm32-unknown-unknown"])
        .arg(format!("--package={}", project.lib_package))
        .args(
            project
                .bundles
                .iter()
                .map(|bundle| format!("--package={bundle}")),
        )
        .arg(format!("--profile={profile}"))
        .arg("--target-dir")
        .arg(&target_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
        .env(
            "RUSTFLAGS",
            "--cfg erase_components -Zlocation-detail=none \
             -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=shallow",
        ))?;
    let module = |package: &str| -> Result<PathBuf> {
        let module = target_dir
            .join("wasm32-unknown-unknown")
            .join(profile)
            .join(format!("{}.wasm", package.replace('-', "_")));
        if !module.is_file() {
            bail!(
                "cargo built the WASM, but {} is not there",
                module.display()
            );
        }
        Ok(module)
    };
    Ok(Compiled {
        main: module(&project.lib_package)?,
        bundles: project
            .bundles
            .iter()
            .map(|bundle| Ok((bundle.clone(), module(bundle)?)))
            .collect::<Result<_>>()?,
    })
}

/// Compiles the release server (`bin-package`'s `bin-target`), the same build `cargo test
/// --release -p app -p server` makes (same features, same flags), so each reuses the other's work.
pub fn server(project: &Project) -> Result<PathBuf> {
    run(Command::new(cargo())
        .current_dir(&project.root)
        .args(["build", "--release"])
        .arg(format!("--package={}", project.bin_package))
        .arg(format!("--bin={}", project.bin_target)))?;
    Ok(project.server_binary())
}

fn run(command: &mut Command) -> Result<()> {
    let line = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("starting {line}"))?;
    if !status.success() {
        bail!("{line} failed ({status})");
    }
    Ok(())
}
