//! The learner bundle's entry: hydrates a learner page with `app::routes::LearnerApp`, which has
//! the learner's routes alone (none of the admin areas' code is in this module).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::components::browser::hydrate_page(app::routes::LearnerApp);
}
