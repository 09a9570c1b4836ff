//! When a bearer token that is a JWT expires, read from its `exp` claim
//! (display only: nothing is verified). A token that is not a JWT shows
//! nothing. Used by settings, under each token, and by the header.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use supply_model::jwt::{self, Expiry};

use crate::state::base::{at, route_path};
use crate::state::clock::use_now;

/// The expiry of `token`, ticking with the console's clock.
fn expiry(token: Signal<Option<String>>) -> impl Fn() -> Option<(Expiry, String)> + Copy {
    let now = use_now();
    move || {
        let now = now.get().timestamp();
        token.with(|t| t.as_deref().and_then(|t| jwt::describe(t, now)))
    }
}

/// "This token expires in 14 min (at …)." under a token field.
#[component]
pub(crate) fn TokenExpiryNote(
    #[prop(into)] token: Signal<Option<String>>,
    id: &'static str,
) -> impl IntoView {
    let expiry = expiry(token);
    move || {
        expiry().map(|(state, text)| {
            let class = if state.needs_warning() {
                "token-expiry token-expiry--warn"
            } else {
                "token-expiry"
            };
            view! { <p id=id class=class>{text}</p> }
        })
    }
}

/// The header's line for one API's token, and its warning from 2 minutes
/// before expiry, with a way to settings that comes back here.
#[component]
pub(crate) fn TokenExpiryWarning(
    #[prop(into)] token: Signal<Option<String>>,
    /// "Supply" or "k0rdent".
    api: &'static str,
) -> impl IntoView {
    let expiry = expiry(token);
    let location = use_location();
    let settings = move || {
        let path = route_path(&location.pathname.get());
        let next = super::require_token::path_and_query(&path, &location.search.get());
        at(&super::require_token::settings_url(&next))
    };
    move || {
        let (state, _) = expiry()?;
        if !state.needs_warning() {
            return None;
        }
        let headline = if state.is_expired() {
            format!("The {api} token has expired.")
        } else {
            format!("The {api} token expires in less than 2 minutes.")
        };
        Some(view! {
            <aside class="token-warning" aria-label=format!("{api} token expiry")>
                <p role="status"><strong>{headline}</strong></p>
                <p>
                    {format!("It {}. ", state.phrase())}
                    <A href=settings>{format!("Save a new {api} token in Settings")}</A>
                    " and you will come back to this page."
                </p>
            </aside>
        })
    }
}

/// "Supply token expires in 14 min" for the header, or nothing.
#[component]
pub(crate) fn TokenExpiryChip(
    #[prop(into)] token: Signal<Option<String>>,
    api: &'static str,
) -> impl IntoView {
    let expiry = expiry(token);
    move || {
        expiry().map(|(state, _)| {
            let class = if state.needs_warning() {
                "token-chip token-chip--warn"
            } else {
                "token-chip"
            };
            view! { <span class=class>{format!("{api} token {}", state.phrase())}</span> }
        })
    }
}
