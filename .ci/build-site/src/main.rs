//! Builds the release site and server that `make test` checks and users get, without
//! cargo-leptos or wasm-bindgen-cli (each ~20 and ~5 minutes to install on 2 cores): the WASM
//! compiled for size, split at the lazy routes, bound, optimised by wasm-opt, every file of the
//! site named after its contents with a brotli and a gzip copy beside it, the hash file beside
//! the server binary. The optimised modules are kept in the build cache (cache.rs): a build whose
//! WASM did not change skips wasm-opt's minutes. `make run` still uses `cargo leptos watch`
//! (rebuild and reload on save).
//!
//! Usage: build-site [front | server]   (no argument: both, the WASM first)

mod cache;
mod cargo_build;
mod compress;
mod project;
mod site;
#[cfg(test)]
mod testdir;
mod wasm;
mod web_assets;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};

use cache::Cache;
use project::Project;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("build-site: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (front, server) = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => (true, true),
        ["front"] => (true, false),
        ["server"] => (false, true),
        _ => bail!(
            "usage: build-site [front | server]   (got: {})",
            args.join(" ")
        ),
    };
    let project = Project::load()?;
    if front {
        build_front(&project)?;
    }
    if server {
        let binary = step("compiling the release server", || {
            cargo_build::server(&project)
        })?;
        println!("    {}", binary.display());
    }
    Ok(())
}

fn build_front(project: &Project) -> Result<()> {
    let pkg = project.pkg();
    let name = &project.output_name;
    let compiled = step("compiling the WASM", || cargo_build::wasm(project))?;
    // Last build's hashed files would pile up (and be served) otherwise.
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg)?;
    }
    std::fs::create_dir_all(&pkg)?;
    let modules: Vec<&Path> = std::iter::once(compiled.main.as_path())
        .chain(compiled.bundles.iter().map(|(_, module)| module.as_path()))
        .collect();
    let cache = Cache::for_modules(&project.front_target_dir().join("site-cache"), &modules)?;
    let lazy = match cache.restore(&pkg)? {
        Some(lazy) => {
            println!("build-site: the WASM is as last built: its optimised modules are reused");
            lazy
        }
        None => {
            let split = step(
                "splitting at the lazy routes and binding (wasm-split, wasm-bindgen)",
                || wasm::split_and_bind(&compiled.main, &pkg, name),
            )?;
            // Each other bundle's files are `<bundle>.js` and `<bundle>.wasm` (hashed like the
            // others).
            let bundles = compiled
                .bundles
                .iter()
                .map(|(bundle, module)| {
                    step(
                        &format!("binding the {bundle} bundle (wasm-bindgen)"),
                        || wasm::bind(module, &pkg, bundle),
                    )
                })
                .collect::<Result<Vec<_>>>()?;
            let all: Vec<&PathBuf> = std::iter::once(&split.main)
                .chain(&bundles)
                .chain(&split.lazy)
                .collect();
            step(
                &format!("optimising {} modules (wasm-opt -Oz)", all.len()),
                || wasm::optimize(&all),
            )?;
            step("minifying the JS (esbuild)", || {
                web_assets::minify_js(&pkg.join(format!("{name}.js")))?;
                compiled.bundles.iter().try_for_each(|(bundle, _)| {
                    web_assets::minify_js(&pkg.join(format!("{bundle}.js")))
                })
            })?;
            cache.store(&pkg, &split.lazy)?;
            split.lazy
        }
    };
    step("the stylesheet (lightningcss)", || {
        web_assets::stylesheet(&project.style_file, &pkg.join(format!("{name}.css")))?;
        match &project.assets_dir {
            Some(assets) if assets.is_dir() => web_assets::copy_dir(assets, &project.site_root),
            _ => Ok(()),
        }
    })?;
    let bundles: Vec<&str> = compiled.bundles.iter().map(|(b, _)| b.as_str()).collect();
    let hashes = step("naming the files after their contents", || {
        site::hash_names(&pkg, name, &lazy, &bundles)
    })?;
    let hash_file = project.hash_file();
    std::fs::create_dir_all(hash_file.parent().expect("the hash file has a folder"))?;
    std::fs::write(&hash_file, hashes.file_text())?;
    let files = step("compressing (brotli, gzip)", || {
        compress::precompress(&project.site_root)
    })?;

    println!(
        "    {} files in {}; hashes in {}",
        files.len(),
        project.site_root.display(),
        hash_file.display()
    );
    report_module(
        &pkg,
        "first module",
        &format!("{name}.{}.wasm", hashes.wasm),
    )?;
    for bundle in &hashes.bundles {
        report_module(
            &pkg,
            &format!("{} module", bundle.name),
            &format!("{}.{}.wasm", bundle.name, bundle.wasm),
        )?;
    }
    Ok(())
}

/// One line the CI summary reads: a module's name, its size raw and as brotli.
fn report_module(pkg: &Path, what: &str, file: &str) -> Result<()> {
    let size = |ext: &str| std::fs::metadata(pkg.join(format!("{file}{ext}"))).map(|m| m.len());
    println!(
        "    {what} {file} ({} bytes raw, {} brotli)",
        size("")?,
        size(".br")?
    );
    Ok(())
}

/// Runs one step of the build, saying what it does and how long it took.
fn step<T>(what: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("build-site: {what}");
    let started = Instant::now();
    let result = work();
    if result.is_ok() {
        println!("    done in {:.1} s", started.elapsed().as_secs_f64());
    }
    result
}
