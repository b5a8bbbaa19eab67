//! `sqlx::migrate!` embeds the migration files when this crate compiles, but Cargo only knows
//! about the Rust sources: a new migration alone would leave an existing build (a shared
//! `target/`, CI's cache) applying the old list. This crate is rebuilt when a migration changes.
//! (It is a crate of its own so that the browser's build of `app`, which has no migrations, is not
//! touched: a build script changes the crate's hash, and with it the WASM.)

fn main() {
    println!("cargo:rerun-if-changed=sqlite");
    println!("cargo:rerun-if-changed=postgres");
}
