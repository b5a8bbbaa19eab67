//! The admin bundle's entry: hydrates any page with the whole site (`site::App`), the admin areas
//! loaded lazily. The learner pages have a bundle of their own (`frontend/learner`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::components::browser::hydrate_page(site::App);
}
