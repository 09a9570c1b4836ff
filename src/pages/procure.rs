//! `/offers/:offer_id/procure`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::planned::Planned;

#[component]
pub fn ProcurePage() -> impl IntoView {
    let params = use_params_map();
    let offer_id = move || params.read().get("offer_id").unwrap_or_default();
    view! {
        <Planned
            title="Procure offer".into()
            summary="The launch form will be here: SSH key with fingerprint, a cloud-init editor, cost and confirmation."
        >
            <p>"Offer " <code>{offer_id}</code></p>
        </Planned>
    }
}
