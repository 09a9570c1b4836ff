//! `/resources/:resource_id`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::planned::Planned;

#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let resource_id = move || params.read().get("resource_id").unwrap_or_default();
    view! {
        <Planned
            title="Resource".into()
            summary="Connection details, live cost, linked resources and offer history will be shown here."
        >
            <p>"Resource " <code>{resource_id}</code></p>
        </Planned>
    }
}
