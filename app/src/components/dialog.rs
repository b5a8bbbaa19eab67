//! The one modal: every dialog and confirmation opens through `Modal`, a native `<dialog>` shown
//! with `showModal()`. The browser then keeps Tab and the screen reader inside it, makes the page
//! behind inert (Enter cannot press a button there) and closes it on Escape wherever focus is; the
//! component moves focus in on opening (to the `autofocus` element, else the first control) and
//! gives it back to whatever had it (the button that opened it) on closing.
//!
//! Dialogs open on a click, so they only ever exist in the browser; on the server `Modal` renders a
//! closed `<dialog>`, which shows nothing.

use leptos::{ev, prelude::*};

/// How wide a dialog is.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Width {
    /// A question and two buttons, or a short form.
    Narrow,
    /// A form.
    #[default]
    Normal,
    /// A table (the CSV preview).
    Wide,
}

impl Width {
    fn class(self) -> &'static str {
        match self {
            Width::Narrow => "dialog dialog-narrow",
            Width::Normal => "dialog",
            Width::Wide => "dialog dialog-wide",
        }
    }
}

/// A modal dialog labelled by the element whose id is `labelled_by` (its heading). Escape, the
/// browser's own close gesture, and `on_close` all end in `on_close`: the caller stops rendering it.
#[component]
pub fn Modal(
    labelled_by: &'static str,
    on_close: Callback<()>,
    #[prop(optional, into)] width: Signal<Width>,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    // Whatever had focus before the dialog opened; it gets it back when the dialog goes away.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(dialog) = node.get() else { return };
        if dialog.open() {
            return;
        }
        opener.set_value(active_element());
        // Fails only for a dialog not in the document or open already: neither happens here.
        let _ = dialog.show_modal();
    });
    on_cleanup(move || {
        // Closed first: while a modal dialog is open, nothing behind it can take focus.
        if let Some(dialog) = node.get_untracked() {
            dialog.close();
        }
        if let Some(Some(el)) = opener.try_update_value(Option::take) {
            let _ = el.focus();
        }
    });
    // Escape: the browser would close the dialog itself; the caller decides instead.
    let on_cancel = move |e: ev::Event| {
        e.prevent_default();
        on_close.run(());
    };
    view! {
        <dialog
            node_ref=node
            class=move || width.get().class()
            aria-labelledby=labelled_by
            data-testid=testid
            on:cancel=on_cancel
        >
            {children()}
        </dialog>
    }
}

/// The element that has focus, if it is one that can take it back.
fn active_element() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// "Remove Ann Lee from the academy?": a question, what will happen, and two answers. Cancel has
/// focus first, so Enter straight after opening changes nothing.
#[component]
pub fn ConfirmDialog(
    /// The question, also the dialog's name.
    #[prop(into)]
    title: String,
    /// What happens, in a sentence or two.
    #[prop(into)]
    text: String,
    /// The answer that acts: "Yes, remove".
    yes: &'static str,
    /// True while the action runs: the answer that acts waits.
    #[prop(into)]
    busy: Signal<bool>,
    /// Why the last attempt failed, shown in the dialog.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
    on_yes: Callback<()>,
    on_cancel: Callback<()>,
    /// More to decide before answering (a checkbox), between the text and the answers.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <Modal
            labelled_by="confirm-title"
            on_close=on_cancel
            width=Width::Narrow
            testid="confirm-dialog"
        >
            <h2 id="confirm-title" class="confirm-title">
                {title}
            </h2>
            <p>{text}</p>
            {children.map(|c| c())}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="alert alert-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            <div class="dialog-actions">
                <button
                    type="button"
                    class="button"
                    autofocus=true
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="button button-danger"
                    disabled=move || busy.get()
                    on:click=move |_| on_yes.run(())
                >
                    {yes}
                </button>
            </div>
        </Modal>
    }
}
