//! The browser entry: hydrates the server-rendered page.

use std::sync::atomic::{AtomicBool, Ordering};

/// A panic happened: the page is broken, whatever runs after it.
static PANICKED: AtomicBool = AtomicBool::new(false);

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The panic goes to the console as before, and the body stops saying the page works
    // (`data-hydrated="false"`): a panic in an effect after hydration would otherwise leave a dead
    // page that says it is ready.
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(true, Ordering::Relaxed);
        app::components::browser::mark_broken();
        console_error_panic_hook::hook(info);
    }));
    // Asynchronous hydration: admin pages are lazily loaded routes (WASM chunks of their own), and
    // hydrating one waits for its chunk. Only once the whole page is hydrated, without a panic,
    // does the body say so (`data-hydrated`, which tests and people can wait for).
    wasm_bindgen_futures::spawn_local(async {
        let page = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        page.forget();
        if !PANICKED.load(Ordering::Relaxed) {
            app::components::browser::mark_hydrated();
        }
    });
}
