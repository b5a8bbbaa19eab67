//! The one-line message a list shows after an action ("Team created.", or what went wrong).

use leptos::prelude::*;

use crate::error::AppError;

/// The newest message: `(true, text)` for news, `(false, text)` for a failure.
#[derive(Clone, Copy)]
pub struct Notice(RwSignal<Option<(bool, String)>>);

impl Default for Notice {
    fn default() -> Self {
        Notice(RwSignal::new(None))
    }
}

impl Notice {
    pub fn info(&self, text: String) {
        self.0.set(Some((true, text)));
    }

    pub fn clear(&self) {
        self.0.set(None);
    }

    /// Follows an action's result: a failure is shown as it is; a success runs `ok`, which may do
    /// more (close a form, reload) and returns the news to show, if any.
    pub fn follow<T, S>(self, value: S, ok: impl Fn(T) -> Option<String> + 'static)
    where
        S: Get<Value = Option<Result<T, AppError>>> + 'static,
    {
        Effect::new(move |_| match value.get() {
            Some(Ok(v)) => {
                if let Some(text) = ok(v) {
                    self.info(text);
                }
            }
            Some(Err(e)) => self.0.set(Some((false, e.to_string()))),
            None => {}
        });
    }
}

/// Where a list shows its notice, announced to screen readers.
#[component]
pub fn NoticeLine(notice: Notice, #[prop(optional)] test_id: &'static str) -> impl IntoView {
    move || {
        notice.0.get().map(|(ok, text)| {
            view! {
                <div
                    class=if ok { "alert alert-info" } else { "alert alert-error" }
                    role="status"
                    data-testid=(!test_id.is_empty()).then_some(test_id)
                >
                    {text}
                </div>
            }
        })
    }
}
