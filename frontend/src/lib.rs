//! The browser entry: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous hydration: admin pages are lazily loaded routes (WASM chunks of their own), and
    // hydrating one waits for its chunk. Only once the whole page is hydrated does the body say so
    // (`data-hydrated`, which tests and people can wait for); a panic on the way never says so.
    wasm_bindgen_futures::spawn_local(async {
        let page = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        page.forget();
        app::components::browser::mark_hydrated();
    });
}
