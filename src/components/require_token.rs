use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::state::session::use_session;

/// One guard for every page: without a token, any page but settings sends
/// the user to settings, carrying the page to come back to (its path and
/// query, never a token). Pages render nothing that needs the token until
/// they have one: their calls answer `NotConfigured`.
#[component]
pub fn RequireToken() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let signed_in = session.token.with(Option::is_some);
        let path = location.pathname.get();
        if signed_in || path == "/settings" {
            return;
        }
        let next = format!("{path}{}", location.search.get_untracked());
        let target = format!(
            "/settings?next={}",
            String::from(js_sys::encode_uri_component(&next))
        );
        navigate(
            &target,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}
