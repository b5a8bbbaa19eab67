//! Link flag for the split release build (`cargo leptos build --split`): with wasm-ld's default
//! merging of data segments, the strings and tables of lazily loaded pages stay in the first module
//! (cargo-leptos issue 679), so learners would still download the admin pages' data.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
}
