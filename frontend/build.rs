//! Link flags for the split release build (`cargo leptos build --split`, `.ci/build-site`): with
//! wasm-ld's default merging of data segments, the strings and tables of lazily loaded pages stay
//! in the first module (cargo-leptos issue 679), so the admin bundle's first module would carry
//! every area's data; and the relocations wasm-split cuts the module by. Here, not in RUSTFLAGS,
//! so they reach this bundle alone: the learner bundle (`frontend/learner`) is not split.
fn main() {
    // Rerun only when this script changes (cargo compares its contents) or that variable does:
    // without a `rerun-if`, cargo reruns a build script whenever any file of the package is newer
    // than its last run, by file time — every fresh clone — and the WASM was rebuilt with it.
    // Cargo sets CARGO_CFG_* for the script only, so this never changes between builds.
    println!("cargo:rerun-if-env-changed=CARGO_CFG_TARGET_ARCH");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
}
