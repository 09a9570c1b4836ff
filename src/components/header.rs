use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::routes::Route;

use crate::components::profiles::ProfileSwitcher;
use crate::components::spend_meter::SpendMeterLink;
use crate::components::token_expiry::{TokenExpiryChip, TokenExpiryWarning};
use crate::state::k0rdent_session::use_k0rdent_session;
use crate::state::route::link;
use crate::state::session::use_session;

#[component]
pub(crate) fn Header() -> impl IntoView {
    let session = use_session();
    let k0rdent = use_k0rdent_session();
    let signed_in = move || session.is_signed_in();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <A href=link(&Route::Offers) attr:class="brand">"GPU Supply Console"</A>
            <nav aria-label="Main">
                <A href=link(&Route::Offers)>"Offers"</A>
                <A href=link(&Route::Resources)>"Resources"</A>
                <A href=link(&Route::K0rdent)>"k0rdent"</A>
                <A href=link(&Route::Settings)>"Settings"</A>
            </nav>
            <SpendMeterLink />
            <ProfileSwitcher />
            <span class="session-state">
                {move || if signed_in() { "Signed in" } else { "Not signed in" }}
                <TokenExpiryChip token=session.token() api="Supply" />
                <TokenExpiryChip token=k0rdent.token() api="k0rdent" />
            </span>
        </header>
        <TokenExpiryWarning token=session.token() api="Supply" />
        <TokenExpiryWarning token=k0rdent.token() api="k0rdent" />
    }
}
