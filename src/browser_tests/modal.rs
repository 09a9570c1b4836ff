//! The confirmation dialog: a real modal, built when it opens and gone when
//! it closes, giving focus back to the control that opened it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{mount_fresh, settle, settle_until};
use crate::components::modal::Modal;

#[wasm_bindgen_test]
async fn opens_modal_and_gives_focus_back_when_closed() {
    let open = RwSignal::new(false);
    let host = mount_fresh(move || {
        view! {
            <button id="opener" on:click=move |_| open.set(true)>"Delete…"</button>
            <Modal open labelled_by="confirm-title">
                <h2 id="confirm-title">"Delete train-01?"</h2>
                <input aria-label="Type the name" />
            </Modal>
        }
    });
    let opener: web_sys::HtmlElement = host
        .query_selector("#opener")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let dialog: web_sys::HtmlDialogElement = host
        .query_selector("dialog")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!dialog.open());
    assert!(
        host.query_selector("#confirm-title").unwrap().is_none(),
        "built only when open"
    );

    opener.focus().unwrap();
    opener.click();
    settle(10).await;
    assert!(dialog.open(), "opened with showModal");
    assert!(
        dialog.matches(":modal").unwrap(),
        "modal, so the page behind is inert"
    );
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("confirm-title")
    );
    let input: web_sys::HtmlInputElement = host
        .query_selector("input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("typed");

    // Escape, or a Cancel button, closes the dialog the browser's way.
    dialog.close();
    settle_until("closing tells the page", || !open.get_untracked()).await;
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("id"))
            .as_deref(),
        Some("opener"),
        "focus goes back to the opener"
    );

    open.set(true);
    settle(10).await;
    let input: web_sys::HtmlInputElement = host
        .query_selector("input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), "", "nothing typed lingers");
    open.set(false);
    settle(10).await;
    assert!(!dialog.open());
}
