//! Small things only a browser can do: read a chosen file, save text as a download, give the page a
//! moment to paint, tell the time. Called from event handlers and effects, never while rendering on
//! the server.

use wasm_bindgen::JsCast;

/// A panic happened: the page is broken, whatever runs after it.
#[cfg(all(feature = "hydrate", not(panic = "immediate-abort")))]
static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Hydrates the server-rendered page with `app` (a bundle's entry point calls this once).
///
/// A panic goes to the console, and the body stops saying the page works (`data-hydrated="false"`):
/// a panic in an effect after hydration would otherwise leave a dead page that says it is ready.
/// Hydration is asynchronous (an admin page is a lazily loaded route, a WASM chunk of its own,
/// and hydrating it waits for the chunk); only once the whole page is hydrated, without a panic,
/// does the body say so (`data-hydrated`, which tests and people can wait for).
///
/// The release build stops the module at a panic (`panic = "immediate-abort"`, no message, no
/// hook): the module traps, and the page's own script marks it broken (`site::shell`); a trap
/// while hydrating never reaches `mark_hydrated`.
#[cfg(feature = "hydrate")]
pub fn hydrate_page<V: leptos::IntoView + 'static>(app: fn() -> V) {
    #[cfg(not(panic = "immediate-abort"))]
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(true, std::sync::atomic::Ordering::Relaxed);
        mark_broken();
        console_error_panic_hook::hook(info);
    }));
    wasm_bindgen_futures::spawn_local(async move {
        let page = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app).await;
        page.forget();
        #[cfg(not(panic = "immediate-abort"))]
        if PANICKED.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        mark_hydrated();
    });
}

/// Marks the page as interactive (`<body data-hydrated="true">`): the whole page, lazily loaded
/// parts included, has been hydrated.
pub fn mark_hydrated() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Whether the page has been hydrated (and so any view rendered now follows a click, not the
/// server's HTML).
pub fn is_hydrated() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|body| body.get_attribute("data-hydrated").as_deref() == Some("true"))
}

/// Loads `path` from the server as a whole page. Until that page has hydrated, the body no longer
/// says this one is ready.
pub fn load_from_server(path: &str) {
    if let Some(window) = web_sys::window() {
        if let Some(body) = window.document().and_then(|d| d.body()) {
            let _ = body.remove_attribute("data-hydrated");
        }
        let _ = window.location().set_href(path);
    }
}

/// Marks the page as broken (`<body data-hydrated="false" data-panicked="true">`) after a panic
/// (the release build's page script does the same when the module traps: `site::shell`).
pub fn mark_broken() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "false");
        let _ = body.set_attribute("data-panicked", "true");
    }
}

/// The bytes of a file the person chose or dropped.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    use gloo_file::FileReadError;
    gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(file.clone()))
        .await
        .map_err(|e| {
            let why = match e {
                FileReadError::NotFound(_) => {
                    "it is no longer where it was chosen from (moved or deleted?)"
                }
                FileReadError::NotReadable(_) => {
                    "the browser may not read it (is it open in another program?)"
                }
                FileReadError::Security(_) | FileReadError::AbortedEarly => {
                    "the browser stopped reading it"
                }
            };
            format!("The file could not be read: {why}. Choose it again.")
        })
}

/// Offers `text` as a file download named `file_name` (a CSV unless `mime` says otherwise).
pub fn download(file_name: &str, text: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The object URL is revoked when `url` is dropped, after the click has started the download.
    let url = gloo_file::ObjectUrl::from(gloo_file::Blob::new_with_options(text, Some(mime)));
    if let Ok(a) = document
        .create_element("a")
        .map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
}

/// Lets the browser paint and handle input before the next slice of work.
pub async fn yield_to_browser() {
    sleep_ms(0).await;
}

/// Waits `ms` milliseconds without holding the page.
pub async fn sleep_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Milliseconds on the page's clock (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// A random key of `len` letters and digits (an upload's retry key; not a secret).
pub fn random_key(len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| {
            CHARS[(js_sys::Math::random() * CHARS.len() as f64) as usize % CHARS.len()] as char
        })
        .collect()
}
