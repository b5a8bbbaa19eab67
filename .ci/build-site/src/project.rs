//! Where things are: the names and folders of `[[workspace.metadata.leptos]]` in the workspace's
//! `Cargo.toml` (the one place they are written; `cargo leptos watch`, which `make run` uses,
//! reads them too) and cargo's target directory, as `cargo metadata` reports them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The site's layout and the packages that make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The workspace root (every relative path below is relative to it).
    pub root: PathBuf,
    /// Cargo's target directory (`CARGO_TARGET_DIR` when set).
    pub target_dir: PathBuf,
    /// The name of the JS, WASM and CSS files (`output-name`).
    pub output_name: String,
    /// The folder the server serves (`site-root`, or `LEPTOS_SITE_ROOT`).
    pub site_root: PathBuf,
    /// The site's sub-folder of built files (`site-pkg-dir`).
    pub pkg_dir: String,
    /// The stylesheet (`style-file`).
    pub style_file: PathBuf,
    /// Files copied to the site's root as they are (`assets-dir`), if any.
    pub assets_dir: Option<PathBuf>,
    /// The package compiled to WASM (`lib-package`) and its release profile (`lib-profile-release`).
    pub lib_package: String,
    pub lib_profile_release: String,
    /// The other page bundles (`bundles` in `[workspace.metadata.shoal]`: the learner's, the
    /// visitor's), each a package compiled with the same settings beside `lib_package`.
    pub bundles: Vec<String>,
    /// The server's package and binary (`bin-package`, `bin-target`).
    pub bin_package: String,
    pub bin_target: String,
}

impl Project {
    /// Reads the workspace's metadata with `cargo metadata`.
    pub fn load() -> Result<Project> {
        let out = Command::new(cargo())
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .context("running `cargo metadata`")?;
        if !out.status.success() {
            bail!(
                "`cargo metadata` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let metadata: Value =
            serde_json::from_slice(&out.stdout).context("reading `cargo metadata`'s output")?;
        let project =
            Project::from_metadata(&metadata, std::env::var("LEPTOS_SITE_ROOT").ok().as_deref())?;
        for package in std::iter::once(&project.lib_package).chain(&project.bundles) {
            check_cdylib_only(&metadata, package)?;
        }
        Ok(project)
    }

    /// The project as `metadata` (cargo metadata's JSON) describes it; `site_root_override` is
    /// `LEPTOS_SITE_ROOT`, which wins over `site-root` as it does for cargo-leptos.
    pub fn from_metadata(metadata: &Value, site_root_override: Option<&str>) -> Result<Project> {
        let root = PathBuf::from(text(metadata, "workspace_root")?);
        let target_dir = PathBuf::from(text(metadata, "target_directory")?);
        let leptos = match &metadata["metadata"]["leptos"] {
            Value::Array(list) => list.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        if !leptos.is_object() {
            bail!("the workspace's Cargo.toml has no [[workspace.metadata.leptos]] section");
        }
        let setting = |key: &str, default: &str| -> String {
            leptos[key].as_str().unwrap_or(default).to_string()
        };
        let site = site_root_override
            .map(str::to_string)
            .unwrap_or_else(|| setting("site-root", "CARGO_TARGET_DIR/site"));
        let site_root = resolve_site_root(&root, &target_dir, &site);
        let assets_dir = leptos["assets-dir"].as_str().map(|dir| root.join(dir));
        Ok(Project {
            output_name: required(&leptos, "output-name")?,
            site_root,
            pkg_dir: setting("site-pkg-dir", "pkg"),
            style_file: root.join(required(&leptos, "style-file")?),
            assets_dir,
            lib_package: required(&leptos, "lib-package")?,
            lib_profile_release: setting("lib-profile-release", "release"),
            bundles: match &metadata["metadata"]["shoal"]["bundles"] {
                Value::Null => Vec::new(),
                Value::Array(names) => names
                    .iter()
                    .map(|name| {
                        name.as_str().map(str::to_string).with_context(|| {
                            format!("[workspace.metadata.shoal] bundles: {name} is not a name")
                        })
                    })
                    .collect::<Result<_>>()?,
                other => bail!("[workspace.metadata.shoal] bundles must be a list, not {other}"),
            },
            bin_package: required(&leptos, "bin-package")?,
            bin_target: setting("bin-target", &required(&leptos, "bin-package")?),
            root,
            target_dir,
        })
    }

    /// The folder of built files the pages load (`<site root>/pkg`).
    pub fn pkg(&self) -> PathBuf {
        self.site_root.join(&self.pkg_dir)
    }

    /// The WASM build's own target directory (as cargo-leptos keeps it: the WASM's build settings
    /// differ from the server's, and two builds sharing one folder would wait for each other).
    pub fn front_target_dir(&self) -> PathBuf {
        self.target_dir.join("front")
    }

    /// The release server binary, and the hash file beside it (Leptos looks for it there).
    pub fn server_binary(&self) -> PathBuf {
        self.target_dir.join("release").join(&self.bin_target)
    }

    pub fn hash_file(&self) -> PathBuf {
        self.target_dir.join("release").join("hash.txt")
    }
}

/// Refuses a WASM package whose library is built as anything besides a `cdylib`: with a second
/// crate type beside it (an `rlib`, as templates suggest), rustc silently skips link-time
/// optimisation (rust-lang/rust#51009, cargo#9672), and the modules came out ~12 % larger
/// (measured on the learner bundle: 1.10 MB raw / 299 KB brotli with an rlib, 0.96 MB / 268 KB
/// without).
fn check_cdylib_only(metadata: &Value, package: &str) -> Result<()> {
    let packages = metadata["packages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(found) = packages.iter().find(|p| p["name"] == package) else {
        bail!("`cargo metadata` lists no package {package}");
    };
    let targets = found["targets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let lib = targets
        .iter()
        .find(|t| {
            t["crate_types"]
                .as_array()
                .is_some_and(|types| types.iter().any(|k| k == "cdylib"))
        })
        .with_context(|| {
            format!("{package} has no cdylib library: nothing to build the WASM from")
        })?;
    let types: Vec<&str> = lib["crate_types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if types != ["cdylib"] {
        bail!(
            "{package}'s library is built as {types:?}: make it `crate-type = [\"cdylib\"]` alone \
             (with another crate type beside it, rustc skips link-time optimisation and the WASM \
             grows by ~12 %)"
        );
    }
    Ok(())
}

/// `site-root` as cargo-leptos resolves it: a leading `CARGO_TARGET_DIR` stands for the target
/// directory, an absolute path is taken as it is, anything else is relative to the workspace.
fn resolve_site_root(root: &Path, target_dir: &Path, site: &str) -> PathBuf {
    let mut parts = site.split('/');
    match parts.next() {
        Some("CARGO_TARGET_DIR" | "CARGO_BUILD_TARGET_DIR") => {
            parts.fold(target_dir.to_path_buf(), |p, s| p.join(s))
        }
        _ if Path::new(site).is_absolute() => PathBuf::from(site),
        _ => root.join(site),
    }
}

fn text(value: &Value, key: &str) -> Result<String> {
    value[key]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("`cargo metadata` gave no {key}"))
}

fn required(leptos: &Value, key: &str) -> Result<String> {
    leptos[key].as_str().map(str::to_string).with_context(|| {
        format!("[[workspace.metadata.leptos]] in the workspace's Cargo.toml has no `{key}`")
    })
}

/// The cargo that runs this tool (`CARGO` when started by cargo), else the one on PATH.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(leptos: Value) -> Value {
        json!({
            "workspace_root": "/src/shoal",
            "target_directory": "/cache/target",
            "metadata": { "leptos": [leptos], "shoal": { "bundles": ["learner", "visitor"] } },
        })
    }

    fn shoal() -> Value {
        json!({
            "output-name": "shoal", "site-root": "target/site", "site-pkg-dir": "pkg",
            "style-file": "style/main.css", "lib-package": "frontend", "bin-package": "server",
            "bin-target": "shoal", "lib-profile-release": "wasm-release",
        })
    }

    #[test]
    fn a_relative_site_root_is_inside_the_workspace_even_with_another_target_directory() {
        let project = Project::from_metadata(&metadata(shoal()), None).unwrap();
        assert_eq!(project.site_root, PathBuf::from("/src/shoal/target/site"));
        assert_eq!(project.pkg(), PathBuf::from("/src/shoal/target/site/pkg"));
        assert_eq!(
            project.hash_file(),
            PathBuf::from("/cache/target/release/hash.txt")
        );
        assert_eq!(
            project.style_file,
            PathBuf::from("/src/shoal/style/main.css")
        );
        assert_eq!(project.lib_profile_release, "wasm-release");
        assert_eq!(project.bundles, ["learner", "visitor"]);
    }

    #[test]
    fn a_site_root_under_cargo_target_dir_follows_the_target_directory() {
        let mut leptos = shoal();
        leptos["site-root"] = json!("CARGO_TARGET_DIR/site");
        let project = Project::from_metadata(&metadata(leptos), None).unwrap();
        assert_eq!(project.site_root, PathBuf::from("/cache/target/site"));
    }

    #[test]
    fn leptos_site_root_in_the_environment_wins_over_the_setting() {
        let project = Project::from_metadata(&metadata(shoal()), Some("/srv/site")).unwrap();
        assert_eq!(project.site_root, PathBuf::from("/srv/site"));
    }

    fn packages(frontend: &[&str]) -> Value {
        json!({ "packages": [
            { "name": "server", "targets": [{ "crate_types": ["lib"] }, { "crate_types": ["bin"] }] },
            { "name": "frontend", "targets": [{ "crate_types": frontend }] },
        ] })
    }

    #[test]
    fn a_wasm_package_built_as_a_cdylib_alone_passes() {
        check_cdylib_only(&packages(&["cdylib"]), "frontend").unwrap();
    }

    #[test]
    fn a_wasm_package_with_an_rlib_beside_its_cdylib_is_refused_and_told_why() {
        let err = check_cdylib_only(&packages(&["cdylib", "rlib"]), "frontend").unwrap_err();
        assert!(err.to_string().contains(r#"["cdylib", "rlib"]"#), "{err}");
        assert!(err.to_string().contains("link-time optimisation"), "{err}");
        let err = check_cdylib_only(&packages(&["cdylib"]), "learner").unwrap_err();
        assert!(err.to_string().contains("no package learner"), "{err}");
        let err = check_cdylib_only(&packages(&["rlib"]), "frontend").unwrap_err();
        assert!(err.to_string().contains("no cdylib"), "{err}");
    }

    #[test]
    fn a_missing_setting_is_named() {
        let mut leptos = shoal();
        leptos.as_object_mut().unwrap().remove("lib-package");
        let err = Project::from_metadata(&metadata(leptos), None).unwrap_err();
        assert!(err.to_string().contains("`lib-package`"), "{err}");
    }
}
