use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use supply_model::routes::{page_for_path, Page, Route};
use supply_model::url::encode_component;
use wasm_bindgen::JsValue;

use crate::state::base::{route_path, router_base};
use crate::state::session::use_session;

/// The address of the settings page that returns to `path_and_query`.
pub(crate) fn settings_url(path_and_query: &str) -> String {
    Route::Settings.href_with_query(&format!("next={}", encode_component(path_and_query)))
}

fn is_settings(path: &str) -> bool {
    page_for_path(path) == Some(Page::Settings)
}

/// `path` and the router's `search` (which comes without its `?`).
pub(crate) fn path_and_query(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

/// On first load without a token, rewrites the address to settings before
/// the router reads it, so no page (nor its lazy chunk) starts loading only
/// to be left at once.
pub(crate) fn redirect_signed_out_visit(signed_in: bool) {
    if signed_in {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = route_path(&location.pathname().unwrap_or_default());
    if is_settings(&path) {
        return;
    }
    let next = format!("{path}{}", location.search().unwrap_or_default());
    let target = format!("{}{}", router_base(), settings_url(&next));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
    }
}

/// One guard for every page: without a token, any page but settings sends
/// the user to settings, carrying the page to come back to (its path and
/// query, never a token). Pages render nothing that needs the token until
/// they have one: their calls answer `NotConfigured`.
#[component]
pub(crate) fn RequireToken() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let signed_in = session.is_signed_in();
        let path = route_path(&location.pathname.get());
        if signed_in || is_settings(&path) {
            return;
        }
        let next = path_and_query(&path, &location.search.get_untracked());
        navigate(
            &settings_url(&next),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}
