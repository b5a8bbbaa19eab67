//! The files beside the WASM: the stylesheet (minified, with the prefixes the browsers of
//! `browserslist`'s "defaults" need), the JS glue minified, and the `assets-dir` copied as it is.
//! Both tools come from npm (`end2end/node_modules/.bin`, first on PATH in `make`).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// `style-file` -> `<pkg>/<name>.css` with lightningcss.
pub fn stylesheet(style_file: &Path, to: &Path) -> Result<()> {
    run(Command::new("lightningcss")
        .args(["--minify", "--browserslist"])
        .arg(style_file)
        .arg("-o")
        .arg(to))
}

/// Minifies a JS module in place with esbuild (names of exports and of the WASM's imports stay).
/// wasm-bindgen lists the split loader once per group of imports from it, under the same key and
/// with the same module object each time: esbuild would warn about that on every build.
pub fn minify_js(file: &Path) -> Result<()> {
    run(Command::new("esbuild")
        .arg(file)
        .args([
            "--minify",
            "--format=esm",
            "--allow-overwrite",
            "--log-level=warning",
            "--log-override:duplicate-object-key=silent",
        ])
        .arg(format!("--outfile={}", file.display())))
}

/// Copies the files of `from` into `to`, sub-folders included.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("listing {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn run(command: &mut Command) -> Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command.status().with_context(|| {
        format!("{program} is not on PATH: `make tools` installs it into end2end/node_modules")
    })?;
    if !status.success() {
        bail!("{program} failed ({status}): {command:?}");
    }
    Ok(())
}
