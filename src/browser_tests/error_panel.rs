//! The error panel: API text stays text, and its way out fits the error.

use leptos::prelude::*;
use supply_model::ApiFailure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use super::mount_fresh;
use crate::components::error_panel::ErrorPanel;

#[wasm_bindgen_test]
fn error_panel_shows_a_refused_token_with_its_way_out() {
    let failure = ApiFailure::from_response(401, r#"{"detail":"<b>bad</b> token"}"#, None);
    let host = mount_fresh(move || {
        view! {
            <leptos_router::components::Router>
                <ErrorPanel failure />
            </leptos_router::components::Router>
        }
    });
    let alert = host.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("Token refused (401)"), "{text}");
    assert!(
        text.contains("“<b>bad</b> token”"),
        "API text is shown as text: {text}"
    );
    assert!(
        host.query_selector("b").unwrap().is_none(),
        "API text is never markup"
    );
    // Settings, and back here afterwards.
    let settings = host.query_selector("a[href^='/settings?next=']").unwrap();
    assert!(
        settings.is_some(),
        "a refused token offers the settings page, returning here"
    );
    assert!(
        host.query_selector("button").unwrap().is_none(),
        "no retry was offered"
    );
}

#[wasm_bindgen_test]
fn error_panel_retry_calls_back() {
    let retries = RwSignal::new(0);
    let failure = ApiFailure::from_response(503, "", None);
    let host = mount_fresh(move || {
        view! {
            <leptos_router::components::Router>
                <ErrorPanel failure on_retry=Callback::new(move |()| retries.update(|n| *n += 1)) />
            </leptos_router::components::Router>
        }
    });
    let button: web_sys::HtmlElement = host
        .query_selector("button")
        .unwrap()
        .expect("a retry button")
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Retry");
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
    assert!(host
        .query_selector("a[href^='/settings']")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
fn an_alert_is_the_error_panel_markup() {
    use crate::components::alert::{Alert, AlertAction, AlertMessage};
    let host = mount_fresh(|| {
        view! {
            <Alert title="Page gone" page_heading="gone-title">
                <AlertMessage slot list=true><li>"one"</li><li>"two"</li></AlertMessage>
                <AlertAction slot>"Go back."</AlertAction>
                <button type="button">"Again"</button>
            </Alert>
        }
    });
    let panel = host
        .query_selector("div.error-panel[role=alert]")
        .unwrap()
        .expect("the panel");
    let heading = panel
        .query_selector("h1#gone-title.error-panel__title")
        .unwrap()
        .expect("the page's heading");
    assert_eq!(heading.text_content().unwrap(), "Page gone");
    let reasons = panel
        .query_selector("ul.error-panel__message")
        .unwrap()
        .expect("the reasons, as a list");
    assert_eq!(reasons.text_content().unwrap(), "onetwo");
    assert_eq!(reasons.child_element_count(), 2);
    let action = panel
        .query_selector("p.error-panel__action")
        .unwrap()
        .expect("the action");
    assert_eq!(action.text_content().unwrap(), "Go back.");
    assert!(
        panel
            .query_selector("p.error-panel__action + button")
            .unwrap()
            .is_some(),
        "the children follow the action"
    );

    let host = mount_fresh(|| {
        view! {
            <Alert title="Failed">
                <AlertMessage slot>"It broke."</AlertMessage>
            </Alert>
        }
    });
    let panel = host.query_selector("[role=alert]").unwrap().unwrap();
    assert!(panel
        .query_selector("h2.error-panel__title")
        .unwrap()
        .is_some());
    assert!(panel.query_selector("h1").unwrap().is_none());
    assert_eq!(
        panel
            .query_selector("p.error-panel__message")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "It broke."
    );
    assert!(panel
        .query_selector(".error-panel__action")
        .unwrap()
        .is_none());
}
