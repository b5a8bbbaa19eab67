//! The optimised modules of the last build, kept in the build cache under the hash of what made
//! them: the compiled WASM and this tool itself (which runs wasm-split, wasm-bindgen, wasm-opt and
//! esbuild). wasm-opt alone takes over three minutes of both cores for Shoal's 46 modules; a
//! build whose WASM did not change (a change to the server, the tests, the stylesheet, or a
//! fresh clone sharing the cache) copies them instead.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use md5::{Digest, Md5};

use crate::web_assets::copy_dir;

/// Lists the lazily loaded modules inside a cached folder.
const LAZY_LIST: &str = "lazy-modules.txt";
/// How many builds stay cached (the others are removed when one is added).
const KEEP: usize = 2;

pub struct Cache {
    dir: PathBuf,
    key: String,
}

impl Cache {
    /// The cache entry for `modules` (the compiled WASM modules), in `root`.
    pub fn for_modules(root: &Path, modules: &[&Path]) -> Result<Cache> {
        let mut hasher = Md5::new();
        for module in modules {
            hasher.update(
                std::fs::read(module).with_context(|| format!("reading {}", module.display()))?,
            );
        }
        let tool = std::env::current_exe().context("finding this tool's executable")?;
        hasher.update(std::fs::read(&tool).with_context(|| format!("reading {}", tool.display()))?);
        let key = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Cache {
            dir: root.to_path_buf(),
            key,
        })
    }

    fn entry(&self) -> PathBuf {
        self.dir.join(&self.key)
    }

    /// Copies a cached build into `pkg` and returns its lazily loaded modules (paths in `pkg`),
    /// or None when this WASM was not built before.
    pub fn restore(&self, pkg: &Path) -> Result<Option<Vec<PathBuf>>> {
        let entry = self.entry();
        let Ok(list) = std::fs::read_to_string(entry.join(LAZY_LIST)) else {
            return Ok(None);
        };
        copy_dir(&entry, pkg)?;
        std::fs::remove_file(pkg.join(LAZY_LIST))?;
        // Used now: the newest, so the last to be pruned.
        let _ =
            std::fs::File::open(&entry).and_then(|d| d.set_modified(std::time::SystemTime::now()));
        Ok(Some(
            list.lines()
                .filter(|l| !l.is_empty())
                .map(|name| pkg.join(name))
                .collect(),
        ))
    }

    /// Keeps what `pkg` holds now (the split, bound and optimised modules) for the next build.
    /// The list of modules is written last: an entry without it is incomplete and never used.
    pub fn store(&self, pkg: &Path, lazy: &[PathBuf]) -> Result<()> {
        let entry = self.entry();
        let _ = std::fs::remove_dir_all(&entry);
        copy_dir(pkg, &entry)?;
        let names: Vec<String> = lazy
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        std::fs::write(entry.join(LAZY_LIST), names.join("\n"))?;
        self.prune()
    }

    /// Removes all but the newest KEEP entries.
    fn prune(&self) -> Result<()> {
        let mut entries: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        for (_, old) in entries.into_iter().skip(KEEP) {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::TestDir;

    #[test]
    fn a_stored_build_is_restored_for_the_same_module_and_not_for_another() {
        let dir = TestDir::new("cache");
        dir.write("front.wasm", b"\0asm one");
        dir.write("other.wasm", b"\0asm two");
        dir.write("pkg/shoal.js", b"export default 1;");
        dir.write("pkg/chunk_1.wasm", b"chunk");
        dir.write("pkg/snippets/x/inline0.js", b"export const a = 1;");
        let cache =
            Cache::for_modules(&dir.path().join("cache"), &[&dir.path().join("front.wasm")])
                .unwrap();
        cache
            .store(
                &dir.path().join("pkg"),
                &[dir.path().join("pkg/chunk_1.wasm")],
            )
            .unwrap();

        let restored = dir.path().join("restored");
        let lazy = cache.restore(&restored).unwrap().expect("a cached build");
        assert_eq!(lazy, vec![restored.join("chunk_1.wasm")]);
        assert_eq!(dir.read("restored/shoal.js"), b"export default 1;");
        assert_eq!(
            dir.read("restored/snippets/x/inline0.js"),
            b"export const a = 1;"
        );
        assert!(!restored.join(LAZY_LIST).exists());

        let other =
            Cache::for_modules(&dir.path().join("cache"), &[&dir.path().join("other.wasm")])
                .unwrap();
        assert!(
            other
                .restore(&dir.path().join("elsewhere"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn an_entry_without_its_module_list_is_not_used() {
        let dir = TestDir::new("cache-partial");
        dir.write("front.wasm", b"\0asm");
        let cache =
            Cache::for_modules(&dir.path().join("cache"), &[&dir.path().join("front.wasm")])
                .unwrap();
        dir.write(&format!("cache/{}/shoal.js", cache.key), b"half written");
        assert!(cache.restore(&dir.path().join("pkg")).unwrap().is_none());
    }
}
