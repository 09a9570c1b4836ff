use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::state::timer::PageTimer;

/// How long the button says "Copied" before it reads as before.
const COPIED_FOR: Duration = Duration::from_millis(1500);

/// Browsers give the clipboard only to secure pages (https or loopback).
fn clipboard_available() -> bool {
    web_sys::window().is_some_and(|window| window.is_secure_context())
}

/// Copies `text` to the clipboard and says so for a moment; disabled
/// while there is nothing to copy, or where the browser gives no
/// clipboard to the page.
#[component]
pub(crate) fn CopyButton(
    #[prop(into)] text: Signal<Option<String>>,
    /// What is copied, for the button's accessible name.
    what: &'static str,
    /// The visible text before copying; "Copy" unless given.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let available = clipboard_available();
    let copied = RwSignal::new(false);
    let reset = PageTimer::in_current_owner();
    let copy = move |_| {
        let Some(value) = text.get_untracked() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&value);
        spawn_local(async move {
            let done = JsFuture::from(promise).await.is_ok();
            // `try_set` gives the value back when the button is gone.
            if copied.try_set(done).is_none() && done {
                reset.set(COPIED_FOR, move || {
                    copied.try_set(false);
                });
            }
        });
    };
    view! {
        <button
            type="button"
            class="copy"
            aria-label=format!("Copy {what}")
            title=(!available).then_some("This browser gives no clipboard to a page not served over https")
            disabled=move || !available || text.with(Option::is_none)
            on:click=copy
        >
            {move || if copied.get() { "Copied" } else { label.unwrap_or("Copy") }}
        </button>
    }
}
