//! `/k0rdent/regions/:region/projects/:project/instances/:id`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::planned::Planned;

#[component]
pub fn InstancePage() -> impl IntoView {
    let params = use_params_map();
    let param = move |name: &'static str| move || params.read().get(name).unwrap_or_default();
    view! {
        <Planned
            title="k0rdent instance".into()
            summary="The k0rdent compute instance will be shown here: lifecycle, GPUs, disks, NICs and SSH keys."
        >
            <dl class="facts">
                <dt>"Region"</dt><dd>{param("region")}</dd>
                <dt>"Project"</dt><dd>{param("project")}</dd>
                <dt>"Instance"</dt><dd>{param("id")}</dd>
            </dl>
        </Planned>
    }
}
