//! Data that pages load in the browser, after hydration, outside every `<Suspense>`.
//!
//! Lists (invites, learners, a learner's teams) are not rendered on the server: resources resolving
//! inside `<Suspense>` on a multi-threaded Leptos 0.8 server can deadlock it under load (an RwLock
//! ordering inversion in reactive_graph 0.2.16, leptos-rs/leptos#4673, fixed upstream but not yet
//! released; server/tests/ssr_under_load.rs hammers the real binary). A `LocalResource` is no way
//! out: read anywhere below the academy's `<Suspense>`, it keeps that boundary pending on the server,
//! which then renders the whole page as "Loading…". So: a plain effect (effects only run in the
//! browser) and a plain signal. The server and the hydrating render both see `None`.

use std::future::Future;

use leptos::prelude::*;

/// `None` until the first answer arrives; then the newest answer, kept while the next one loads.
/// The signals read by `fetch` (before it returns its future) make it load again when they change;
/// an answer that arrives after a newer request was made, or after the page is gone, is dropped.
pub fn browser_fetch<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (value, set_value) = signal(None::<T>);
    let newest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let future = fetch();
        let request = newest.get_value() + 1;
        newest.set_value(request);
        leptos::task::spawn_local(async move {
            let answer = future.await;
            // The page may be gone by now (the person navigated away, a deleted team's page was
            // replaced): then there is nobody to tell, and touching its signals would panic.
            if newest.try_get_value() == Some(request) {
                let _ = set_value.try_set(Some(answer));
            }
        });
    });
    value
}
