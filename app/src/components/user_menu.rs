//! The signed-in person's menu: who they are, "Your account" (password) and "Sign out".

use leptos::{ev, prelude::*};

use crate::{api::accounts::SignOut, components::field::go_to, model::UserView};

#[component]
pub fn UserMenu(user: UserView, slug: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(path)) = sign_out.value().get() {
            go_to(&path);
        }
    });
    let initials: String = user
        .display_name()
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>();
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <div class="user-menu" on:keydown=on_key>
            <button
                type="button"
                class="user-menu-button"
                data-testid="user-menu"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span class="avatar" aria-hidden="true">
                    {initials}
                </span>
                <span class="user-menu-name">{user.display_name()}</span>
            </button>
            <div class="user-menu-panel" hidden=move || !open.get()>
                <p class="user-menu-who">
                    <strong>{user.display_name()}</strong>
                    <span class="muted">{user.email.clone()}</span>
                    <span class="badge">{user.role.label()}</span>
                </p>
                <a class="button button-secondary button-block" href=format!("/a/{slug}/account")>
                    "Your account"
                </a>
                <ActionForm action=sign_out>
                    <input type="hidden" name="slug" value=slug />
                    <button
                        type="submit"
                        class="button button-secondary button-block"
                        disabled=move || sign_out.pending().get()
                    >
                        "Sign out"
                    </button>
                </ActionForm>
            </div>
        </div>
    }
}
