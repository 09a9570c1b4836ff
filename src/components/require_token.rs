use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;

use crate::state::session::use_session;

/// Renders its page only with a token; otherwise sends the user to
/// settings with the page to come back to (path and query, never a token).
#[component]
pub fn RequireToken(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let signed_in = Memo::new(move |_| session.token.with(Option::is_some));
    move || {
        if signed_in.get() {
            Either::Left(children())
        } else {
            let next = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let path = format!(
                "/settings?next={}",
                String::from(js_sys::encode_uri_component(&next))
            );
            Either::Right(view! {
                <Redirect
                    path=path
                    options=NavigateOptions { replace: true, ..Default::default() }
                />
            })
        }
    }
}
