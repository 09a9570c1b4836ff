use crate::state::base::at;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use supply_model::ApiFailure;

use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::copy_button::CopyButton;

/// The one way the console shows a failed call: what happened, what to do,
/// and a retry when one is offered. API text is rendered as text only.
#[component]
pub(crate) fn ErrorPanel(
    failure: ApiFailure,
    /// Shown as a "Retry" button when given.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
    /// Names the API that failed, where the console talks to more than one.
    #[prop(optional)]
    api: Option<&'static str>,
) -> impl IntoView {
    let is_auth = failure.is_auth();
    // Settings brings the person back here, where a form kept its draft.
    let location = use_location();
    let settings = move || {
        super::require_token::settings_url(&super::require_token::path_and_query(
            &crate::state::base::route_path(&location.pathname.get()),
            &location.search.get(),
        ))
    };
    let request_id = failure.request_id().map(str::to_owned);
    let (message, action) = (failure.message(), failure.action());
    let title = match api {
        Some(api) => format!("{api}: {}", failure.title()),
        None => failure.title(),
    };
    view! {
        <Alert title>
            <AlertMessage slot>{message}</AlertMessage>
            <AlertAction slot>{action}</AlertAction>
            {request_id.map(|id| {
                let copy = id.clone();
                view! {
                    <p class="error-panel__request-id">
                        "Request ID (support asks for it): " <code>{id}</code> " "
                        <CopyButton text=Signal::derive(move || Some(copy.clone())) what="request ID" />
                    </p>
                }
            })}
            <div class="error-panel__buttons">
                {on_retry.map(|retry| view! {
                    <button type="button" on:click=move |_| retry.run(())>"Retry"</button>
                })}
                {is_auth.then(|| view! { <A href=move || at(&settings())>"Open settings"</A> })}
            </div>
        </Alert>
    }
}
