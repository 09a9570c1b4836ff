//! `/offers/:offer_id/status`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::planned::Planned;

#[component]
pub fn StatusPage() -> impl IntoView {
    let params = use_params_map();
    let offer_id = move || params.read().get("offer_id").unwrap_or_default();
    view! {
        <Planned
            title="Provisioning status".into()
            summary="Provisioning will be followed here live: a timeline, progress, instances and their SSH commands."
        >
            <p>"Offer " <code>{offer_id}</code></p>
        </Planned>
    }
}
