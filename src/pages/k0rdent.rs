//! `/k0rdent`: open a k0rdent compute instance by region, project and id.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::k0rdent::open_instance::{last_place, OpenInstanceForm};
use crate::state::base::at;
use crate::state::k0rdent_session::use_k0rdent_session;

#[component]
pub fn K0rdentPage() -> impl IntoView {
    let k0rdent = use_k0rdent_session();
    let (region, project) = last_place();
    view! {
        <section class="page k0rdent" aria-labelledby="k0rdent-title">
            <h1 id="k0rdent-title">"k0rdent instances"</h1>
            <p>"Open a k0rdent compute instance: its lifecycle, GPUs, disks, network and SSH keys."</p>
            {move || k0rdent.token.with(Option::is_none).then(|| view! {
                <p class="notice">
                    "No k0rdent token is set in this browser: add it in "
                    <A href=at("/settings")>"Settings"</A> " first."
                </p>
            })}
            <OpenInstanceForm region project />
        </section>
    }
}
