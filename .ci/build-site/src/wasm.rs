//! From the compiled module to what the browser loads: cut at the lazy routes (wasm-split), the
//! JS glue generated (wasm-bindgen), every module optimised for size (binaryen's wasm-opt).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow, bail};

use crate::site::{LOADER_PLACEHOLDER, SPLIT_MANIFEST};

/// What splitting and binding wrote into the pkg folder.
#[derive(Debug)]
pub struct Modules {
    /// `<output>.wasm`: the module every page loads.
    pub main: PathBuf,
    /// The modules the lazy routes load (`split_*.wasm`, `chunk_*.wasm`).
    pub lazy: Vec<PathBuf>,
}

/// Splits `module` into the main module and one module per lazily loaded area (the loader script
/// and its manifest go into `pkg`), then runs wasm-bindgen on the main module.
pub fn split_and_bind(module: &Path, pkg: &Path, output_name: &str) -> Result<Modules> {
    let input = std::fs::read(module).with_context(|| format!("reading {}", module.display()))?;
    let main_split = module.with_file_name(format!(
        "{}_split.wasm",
        module
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("main")
    ));
    let main_module = format!("./{output_name}.js");
    let link_name = format!("./{LOADER_PLACEHOLDER}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = pkg;
        opts.main_out_path = &main_split;
        opts.main_module = &main_module;
        opts.link_name = &link_name;
        opts
    })
    .map_err(|e| anyhow!("splitting {}: {e:?}", module.display()))?;
    drop(input);
    let manifest = serde_json::to_string(&split.prefetch_map).context("writing the manifest")?;
    std::fs::write(pkg.join(SPLIT_MANIFEST), manifest)?;

    // The split-off modules call back into the main one by its raw symbol names (kept exports,
    // not demangled).
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_split)
        .out_name(output_name)
        .web(true)
        .map_err(|e| anyhow!("{e:?}"))?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .generate(pkg)
        .map_err(|e| anyhow!("wasm-bindgen on {}: {e:?}", main_split.display()))?;
    // wasm-bindgen names it `<name>_bg.wasm`; Leptos' hydration script asks for `<name>.wasm`.
    let main = pkg.join(format!("{output_name}.wasm"));
    std::fs::rename(pkg.join(format!("{output_name}_bg.wasm")), &main)?;
    Ok(Modules {
        main,
        lazy: split.split_modules,
    })
}

/// Runs wasm-bindgen on a module that is not split (the learner bundle): `<pkg>/<name>.js` and
/// `<pkg>/<name>.wasm`.
pub fn bind(module: &Path, pkg: &Path, name: &str) -> Result<PathBuf> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(module)
        .out_name(name)
        .web(true)
        .map_err(|e| anyhow!("{e:?}"))?
        .typescript(false)
        .generate(pkg)
        .map_err(|e| anyhow!("wasm-bindgen on {}: {e:?}", module.display()))?;
    let bound = pkg.join(format!("{name}.wasm"));
    std::fs::rename(pkg.join(format!("{name}_bg.wasm")), &bound)?;
    Ok(bound)
}

/// Optimises every module for size with binaryen's wasm-opt, two at a time (the machines have two
/// cores). Only binaryen 132 will do: Debian's 108 writes a module that passes every check and
/// then fails in the browser during hydration.
pub fn optimize(files: &[&PathBuf]) -> Result<()> {
    check_wasm_opt()?;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        wasm_opt(file)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().expect("a wasm-opt worker panicked"))
    })
}

/// Its output is kept for a failure: on success it is only "unknown name subsection" warnings
/// (binaryen does not read every part of the name section rustc writes, and drops it anyway).
fn wasm_opt(file: &Path) -> Result<()> {
    let out = Command::new("wasm-opt")
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(file)
        .arg("-o")
        .arg(file)
        .output()
        .context("starting wasm-opt")?;
    if !out.status.success() {
        bail!(
            "wasm-opt failed on {} ({}): {}",
            file.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn check_wasm_opt() -> Result<()> {
    let out = Command::new("wasm-opt").arg("--version").output().context(
        "wasm-opt is not on PATH: `make tools` installs binaryen 132 into end2end/node_modules",
    )?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !version.contains("version 132") {
        bail!(
            "wasm-opt is '{version}', need binaryen 132 (end2end/node_modules/.bin first on PATH)"
        );
    }
    Ok(())
}
