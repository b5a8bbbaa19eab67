//! `sqlx::migrate!` embeds the files of `migrations/` when this crate compiles, but Cargo only
//! knows about the Rust sources: a new migration alone would leave an existing build (a shared
//! `target/`, CI's cache) serving the old list. Rebuild this crate when a migration changes.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
