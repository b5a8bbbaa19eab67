//! Names every file the pages load after its contents, so browsers may keep it for a year, and
//! writes the hash file the server (and Leptos' `HydrationScripts`) read the names from.
//!
//! The JS glue, the split loader and the lazily loaded modules name each other: the glue imports
//! the loader, the loader imports the glue and fetches the modules, and each module imports the
//! loader (the loader's name is the module's import key). A name that carried only its own
//! file's hash would go stale in the files that mention it, so these files, one cycle, share one
//! hash taken over all their contents. The main module, the manifest and the stylesheet then
//! take the hash of their own (rewritten) contents.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::Value;

/// The file name wasm-split gives the loader: 22 underscores stand where the hash will go, since
/// the lazily loaded modules carry the name inside their binary and must keep their length.
pub const LOADER_PLACEHOLDER: &str = "__wasm_split.______________________.js";
const PLACEHOLDER_HASH: &str = "______________________";
/// Which lazy route needs which modules (read by the server to preload them).
pub const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";

/// The hashes written to `hash.txt`, one `kind: hash` line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashes {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub manifest: Option<String>,
    /// The other page bundles' glue and module (the learner's, the visitor's), each named after
    /// its own contents (the page names both; neither mentions the other).
    pub bundles: Vec<BundleHashes>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleHashes {
    /// The bundle's name, its files' stem (`learner` for `learner.<hash>.js`).
    pub name: String,
    pub js: String,
    pub wasm: String,
}

impl Hashes {
    /// The hash file's text, in the form Leptos reads (`split` names the loader: it shares the
    /// glue's hash).
    pub fn file_text(&self) -> String {
        let mut text = format!("js: {}\nwasm: {}\ncss: {}\n", self.js, self.wasm, self.css);
        if let Some(manifest) = &self.manifest {
            text.push_str(&format!("manifest: {manifest}\nsplit: {}\n", self.js));
        }
        for bundle in &self.bundles {
            let BundleHashes { name, js, wasm } = bundle;
            text.push_str(&format!("{name}-js: {js}\n{name}-wasm: {wasm}\n"));
        }
        text
    }
}

/// Renames the files in `pkg` (`<name>.js`, `<name>.wasm`, `<name>.css`, the loader, the lazy
/// modules wasm-split wrote (`lazy`) and the manifest) to hashed names and rewrites every mention
/// of them; each of the other `bundles`' `<bundle>.js` and `<bundle>.wasm` too.
/// `snippets/` keeps its names: wasm-bindgen already names its folders after their contents.
pub fn hash_names(
    pkg: &Path,
    output_name: &str,
    lazy: &[PathBuf],
    bundles: &[&str],
) -> Result<Hashes> {
    let glue = pkg.join(format!("{output_name}.js"));
    let main = pkg.join(format!("{output_name}.wasm"));
    let css = pkg.join(format!("{output_name}.css"));
    let loader = pkg.join(LOADER_PLACEHOLDER);
    let manifest = pkg.join(SPLIT_MANIFEST);
    for needed in [&glue, &main, &css] {
        if !needed.is_file() {
            bail!("{} is missing: nothing to name", needed.display());
        }
    }
    let split = loader.is_file();

    // One hash for the cycle (sorted by name, so the order of the folder listing is irrelevant).
    let mut cycle: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for file in std::iter::once(&glue)
        .chain(split.then_some(&loader))
        .chain(lazy)
    {
        cycle.insert(file_name(file), read(file)?);
    }
    let mut hasher = Md5::new();
    for (name, contents) in &cycle {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((contents.len() as u64).to_le_bytes());
        hasher.update(contents);
    }
    let shared = encode(&hasher.finalize());
    let loader_name = LOADER_PLACEHOLDER.replace(PLACEHOLDER_HASH, &shared);
    let glue_name = format!("{output_name}.{shared}.js");

    // Text rewrites of the JS: `./<name>` mentions only (with the `./`, `chunk_1.wasm` is no
    // part of `chunk_10.wasm`).
    let mut renames: Vec<(String, String)> = vec![
        (
            format!("./{LOADER_PLACEHOLDER}"),
            format!("./{loader_name}"),
        ),
        (format!("./{output_name}.js"), format!("./{glue_name}")),
    ];
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    for module in lazy {
        let stem = stem(module);
        let hashed = format!("{stem}.{shared}");
        renames.push((format!("./{stem}.wasm"), format!("./{hashed}.wasm")));
        stems.insert(stem, hashed);
    }

    write_renamed(&glue, &pkg.join(&glue_name), |text| {
        rewrite_text(text, &renames)
    })?;
    if split {
        write_renamed(&loader, &pkg.join(&loader_name), |text| {
            rewrite_text(text, &renames)
        })?;
    }
    for module in lazy {
        let to = pkg.join(format!("{}.wasm", stems[&stem(module)]));
        write_renamed(module, &to, |bytes| rewrite_bytes(bytes, &shared))?;
    }
    let wasm = rename_by_contents(&main, |bytes| rewrite_bytes(bytes, &shared))?;
    let css = rename_by_contents(&css, Ok)?;
    let manifest = if manifest.is_file() {
        Some(rename_by_contents(&manifest, |bytes| {
            rewrite_manifest(&bytes, &stems)
        })?)
    } else {
        None
    };
    let bundles = bundles
        .iter()
        .map(|name| {
            Ok(BundleHashes {
                name: name.to_string(),
                js: rename_by_contents(&pkg.join(format!("{name}.js")), Ok)?,
                wasm: rename_by_contents(&pkg.join(format!("{name}.wasm")), Ok)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Hashes {
        js: shared,
        wasm,
        css,
        manifest,
        bundles,
    })
}

/// Renames `from` to `<stem>.<hash of its rewritten contents>.<ext>` and returns the hash.
fn rename_by_contents(
    from: &Path,
    rewrite: impl FnOnce(Vec<u8>) -> Result<Vec<u8>>,
) -> Result<String> {
    let contents = rewrite(read(from)?)?;
    let hash = encode(&Md5::digest(&contents));
    let ext = from
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let to = from.with_file_name(format!("{}.{hash}.{ext}", stem(from)));
    std::fs::write(&to, contents).with_context(|| format!("writing {}", to.display()))?;
    std::fs::remove_file(from)?;
    Ok(hash)
}

fn write_renamed(
    from: &Path,
    to: &Path,
    rewrite: impl FnOnce(Vec<u8>) -> Result<Vec<u8>>,
) -> Result<()> {
    let contents = rewrite(read(from)?)?;
    std::fs::write(to, contents).with_context(|| format!("writing {}", to.display()))?;
    std::fs::remove_file(from).with_context(|| format!("removing {}", from.display()))
}

fn rewrite_text(bytes: Vec<u8>, renames: &[(String, String)]) -> Result<Vec<u8>> {
    let mut text = String::from_utf8(bytes).context("a JS file that is not UTF-8")?;
    for (from, to) in renames {
        text = text.replace(from.as_str(), to);
    }
    Ok(text.into_bytes())
}

/// The loader's name inside a module's binary: same length, so a plain byte swap.
fn rewrite_bytes(mut bytes: Vec<u8>, hash: &str) -> Result<Vec<u8>> {
    let from = LOADER_PLACEHOLDER.as_bytes();
    let to = LOADER_PLACEHOLDER.replace(PLACEHOLDER_HASH, hash);
    if to.len() != from.len() {
        bail!(
            "a hash of {} characters cannot stand in for {PLACEHOLDER_HASH}",
            hash.len()
        );
    }
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(from.len()).position(|w| w == from) {
        let start = at + found;
        bytes[start..start + from.len()].copy_from_slice(to.as_bytes());
        at = start + from.len();
    }
    Ok(bytes)
}

/// The manifest lists module stems per lazy route (`{"route": ["chunk_0", "split_3"]}`).
fn rewrite_manifest(bytes: &[u8], stems: &BTreeMap<String, String>) -> Result<Vec<u8>> {
    let mut manifest: Value =
        serde_json::from_slice(bytes).context("reading the split manifest")?;
    let Some(routes) = manifest.as_object_mut() else {
        bail!("the split manifest is not a JSON object");
    };
    for modules in routes.values_mut() {
        for module in modules.as_array_mut().into_iter().flatten() {
            if let Some(hashed) = module.as_str().and_then(|s| stems.get(s)) {
                *module = Value::String(hashed.clone());
            }
        }
    }
    Ok(serde_json::to_vec(&manifest)?)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// 16 bytes of MD5 in URL-safe base64 without padding: 22 characters, as cargo-leptos names them.
fn encode(digest: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    /// A split build as wasm-split and wasm-bindgen leave it: the glue imports the loader, the
    /// loader imports the glue and fetches the modules, each module (and the main one) carries
    /// the loader's name as its import key.
    fn split_build(dir: &TestDir, chunk_1: &[u8]) -> Vec<PathBuf> {
        let key = |body: &[u8]| [b"\0asm".as_slice(), LOADER_PLACEHOLDER.as_bytes(), body].concat();
        dir.write(
            "shoal.js",
            format!("import * as l from './{LOADER_PLACEHOLDER}';\nimports['./{LOADER_PLACEHOLDER}'] = l;")
                .as_bytes(),
        );
        dir.write(
            LOADER_PLACEHOLDER,
            b"import { initSync } from './shoal.js';\nload('./chunk_1.wasm'); load('./chunk_10.wasm');",
        );
        dir.write("shoal.wasm", &key(b"main"));
        dir.write("chunk_1.wasm", &key(chunk_1));
        dir.write("chunk_10.wasm", &key(b"ten"));
        dir.write("shoal.css", b"body{margin:0}");
        dir.write(
            SPLIT_MANIFEST,
            br#"{"admin":["chunk_1","chunk_10"],"teams":["chunk_10"]}"#,
        );
        vec![
            dir.path().join("chunk_1.wasm"),
            dir.path().join("chunk_10.wasm"),
        ]
    }

    fn text(dir: &TestDir, name: &str) -> String {
        String::from_utf8(dir.read(name)).unwrap()
    }

    #[test]
    fn the_glue_the_loader_and_the_lazy_modules_share_one_hash_and_mention_each_other_by_it() {
        let dir = TestDir::new("hash-cycle");
        let lazy = split_build(&dir, b"one");
        let hashes = hash_names(dir.path(), "shoal", &lazy, &[]).unwrap();
        let h = &hashes.js;
        assert_eq!(h.len(), 22);
        let loader = format!("__wasm_split.{h}.js");
        let names = dir.names();
        for expected in [
            format!("shoal.{h}.js"),
            loader.clone(),
            format!("chunk_1.{h}.wasm"),
            format!("chunk_10.{h}.wasm"),
            format!("shoal.{}.wasm", hashes.wasm),
            format!("shoal.{}.css", hashes.css),
            format!(
                "__wasm_split_manifest.{}.json",
                hashes.manifest.clone().unwrap()
            ),
        ] {
            assert!(names.contains(&expected), "{expected} not in {names:?}");
        }
        assert_eq!(names.len(), 7, "{names:?}");

        assert_eq!(
            text(&dir, &format!("shoal.{h}.js")),
            format!("import * as l from './{loader}';\nimports['./{loader}'] = l;")
        );
        assert_eq!(
            text(&dir, &loader),
            format!(
                "import {{ initSync }} from './shoal.{h}.js';\n\
                 load('./chunk_1.{h}.wasm'); load('./chunk_10.{h}.wasm');"
            )
        );
        for module in [
            format!("chunk_1.{h}.wasm"),
            format!("shoal.{}.wasm", hashes.wasm),
        ] {
            let bytes = dir.read(&module);
            assert!(
                bytes.windows(loader.len()).any(|w| w == loader.as_bytes()),
                "{module}"
            );
            assert!(
                !bytes.windows(22).any(|w| w == PLACEHOLDER_HASH.as_bytes()),
                "{module}"
            );
        }
        let manifest: Value = serde_json::from_slice(&dir.read(&format!(
            "__wasm_split_manifest.{}.json",
            hashes.manifest.unwrap()
        )))
        .unwrap();
        assert_eq!(
            manifest,
            serde_json::json!({
                "admin": [format!("chunk_1.{h}"), format!("chunk_10.{h}")],
                "teams": [format!("chunk_10.{h}")],
            })
        );
    }

    #[test]
    fn a_changed_lazy_module_renames_every_file_that_mentions_it() {
        let (first, second) = (TestDir::new("hash-a"), TestDir::new("hash-b"));
        let a = hash_names(first.path(), "shoal", &split_build(&first, b"one"), &[]).unwrap();
        let b = hash_names(second.path(), "shoal", &split_build(&second, b"uno"), &[]).unwrap();
        assert_ne!(a.js, b.js, "glue, loader and modules");
        assert_ne!(a.wasm, b.wasm, "the main module names the loader");
        assert_ne!(a.manifest, b.manifest, "the manifest names the modules");
        assert_eq!(a.css, b.css, "the stylesheet mentions none of them");
    }

    #[test]
    fn the_same_files_get_the_same_names() {
        let (first, second) = (TestDir::new("same-a"), TestDir::new("same-b"));
        let a = hash_names(first.path(), "shoal", &split_build(&first, b"one"), &[]).unwrap();
        let b = hash_names(second.path(), "shoal", &split_build(&second, b"one"), &[]).unwrap();
        assert_eq!(a, b);
        assert_eq!(first.names(), second.names());
    }

    #[test]
    fn the_hash_file_says_what_leptos_reads() {
        let dir = TestDir::new("hash-file");
        let hashes = hash_names(dir.path(), "shoal", &split_build(&dir, b"one"), &[]).unwrap();
        assert_eq!(
            hashes.file_text(),
            format!(
                "js: {h}\nwasm: {}\ncss: {}\nmanifest: {}\nsplit: {h}\n",
                hashes.wasm,
                hashes.css,
                hashes.manifest.clone().unwrap(),
                h = hashes.js
            )
        );
    }

    #[test]
    fn a_build_without_lazy_routes_names_its_three_files() {
        let dir = TestDir::new("unsplit");
        dir.write("shoal.js", b"export default function init() {}");
        dir.write("shoal.wasm", b"\0asm");
        dir.write("shoal.css", b"p{}");
        let hashes = hash_names(dir.path(), "shoal", &[], &[]).unwrap();
        assert_eq!(hashes.manifest, None);
        assert_eq!(hashes.file_text().lines().count(), 3);
        assert_eq!(dir.names().len(), 3);
    }

    #[test]
    fn each_other_bundle_s_two_files_are_named_after_their_contents_and_listed() {
        let dir = TestDir::new("bundles");
        let lazy = split_build(&dir, b"one");
        for name in ["learner", "visitor"] {
            dir.write(&format!("{name}.js"), b"export function hydrate() {}");
            dir.write(&format!("{name}.wasm"), format!("\0asm {name}").as_bytes());
        }
        let hashes = hash_names(dir.path(), "shoal", &lazy, &["learner", "visitor"]).unwrap();
        let names = dir.names();
        let mut lines = String::new();
        for bundle in &hashes.bundles {
            let BundleHashes { name, js, wasm } = bundle;
            for expected in [format!("{name}.{js}.js"), format!("{name}.{wasm}.wasm")] {
                assert!(names.contains(&expected), "{expected} not in {names:?}");
            }
            assert!(!names.contains(&format!("{name}.js")), "{names:?}");
            assert_eq!(
                dir.read(&format!("{name}.{wasm}.wasm")),
                format!("\0asm {name}").as_bytes()
            );
            assert_ne!(js, wasm);
            lines.push_str(&format!("{name}-js: {js}\n{name}-wasm: {wasm}\n"));
        }
        let names: Vec<&str> = hashes.bundles.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["learner", "visitor"]);
        assert!(
            hashes.file_text().ends_with(&lines),
            "{}",
            hashes.file_text()
        );
        // The same glue in two bundles: each still has a file of its own.
        assert_eq!(hashes.bundles[0].js, hashes.bundles[1].js);
    }

    #[test]
    fn a_missing_stylesheet_is_named() {
        let dir = TestDir::new("no-css");
        dir.write("shoal.js", b"");
        dir.write("shoal.wasm", b"");
        let err = hash_names(dir.path(), "shoal", &[], &[]).unwrap_err();
        assert!(err.to_string().contains("shoal.css is missing"), "{err}");
    }
}
