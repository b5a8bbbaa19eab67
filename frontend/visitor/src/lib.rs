//! The visitor bundle's entry: hydrates a page of a visitor without a session with
//! `app::routes::VisitorApp` (neither the admin areas' code nor the signed-in learner's pages are
//! in this module).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::components::browser::hydrate_page(app::routes::VisitorApp);
}
