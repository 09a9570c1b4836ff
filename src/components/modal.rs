//! A real modal `<dialog>`: opened with `showModal()`, so the page behind
//! it is inert and Tab stays inside; Escape closes it (the browser's own
//! cancel); closing gives focus back to the control that opened it. Its
//! content is built each time it opens, so nothing typed lingers.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub(crate) fn Modal(
    /// Open while true; closing (Escape, a button) sets it false.
    open: RwSignal<bool>,
    /// The id of the heading inside that names the dialog.
    labelled_by: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let wanted = open.get();
        let Some(element) = dialog.get() else {
            return;
        };
        if wanted && !element.open() {
            opener.set_value(
                document()
                    .active_element()
                    .and_then(|active| active.dyn_into::<web_sys::HtmlElement>().ok()),
            );
            // Fails only if it is already open or not in the document.
            let _ = element.show_modal();
        } else if !wanted && element.open() {
            element.close();
        }
    });
    let on_close = move |_| {
        open.set(false);
        if let Some(opener) = opener.try_update_value(Option::take).flatten() {
            let _ = opener.focus();
        }
    };
    view! {
        <dialog node_ref=dialog class="modal" aria-labelledby=labelled_by on:close=on_close>
            {move || open.get().then(|| children())}
        </dialog>
    }
}
