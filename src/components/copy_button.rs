use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// Copies `text` to the clipboard and says so; disabled while there is
/// nothing to copy.
#[component]
pub(crate) fn CopyButton(
    #[prop(into)] text: Signal<Option<String>>,
    /// What is copied, for the button's accessible name.
    what: &'static str,
    /// The visible text before copying; "Copy" unless given.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
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
            copied.try_set(done);
        });
    };
    view! {
        <button
            type="button"
            class="copy"
            aria-label=format!("Copy {what}")
            disabled=move || text.with(Option::is_none)
            on:click=copy
        >
            {move || if copied.get() { "Copied" } else { label.unwrap_or("Copy") }}
        </button>
    }
}
