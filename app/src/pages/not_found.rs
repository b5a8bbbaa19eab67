use leptos::prelude::*;
use leptos_meta::Title;

/// 404 with a way out. Sets the HTTP status when rendered on the server.
#[component]
pub fn NotFound(#[prop(optional, into)] message: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="centered">
            <div class="card card-narrow">
                <h1>"No academy at this address"</h1>
                <p>
                    {message
                        .unwrap_or_else(|| {
                            "Nothing lives at this address. Check the link you were given.".into()
                        })}
                </p>
                <p class="muted">
                    "If someone shared this link with you, ask them for the academy link again."
                </p>
                <a class="button" href="/">
                    "Go to the start page"
                </a>
            </div>
        </main>
    }
}

/// Any error that is not "not found": says what happened and offers a way back.
#[component]
pub fn ErrorPanel(error: crate::error::AppError) -> impl IntoView {
    view! {
        <main class="centered">
            <div class="card card-narrow">
                <h1>"Something went wrong"</h1>
                <p role="alert">{error.to_string()}</p>
                <a class="button" href="/">
                    "Go to the start page"
                </a>
            </div>
        </main>
    }
}
