//! Where an order leads: its resources' pages, or, when provisioning
//! failed, equivalents of the offer.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::decode_offer;
use supply_model::procure_form::equivalents_link;
use supply_model::routes::Route;
use supply_model::status::OfferResourceInfo;

use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::procure::offer_lookup::offer_snapshot_key;
use crate::state::base::at;
use crate::state::route::link;
use crate::state::storage::{self, Area};

#[component]
pub(crate) fn ResourceLinks(
    #[prop(into)] resources: Signal<Vec<OfferResourceInfo>>,
) -> impl IntoView {
    let items = move || {
        resources
            .get()
            .into_iter()
            .map(|r| {
                let href = link(&Route::Resource {
                    resource_id: r.resource_id.clone(),
                });
                view! {
                    <li>
                        <A href=href>{format!("{} ({})", r.resource_type, r.role)}</A>
                        " " <span class="badge">{r.status}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="resources">{items}</ul> }
}

/// The service's reason, and the way back: equivalents of the offer the
/// procure page kept, or the offers page.
#[component]
pub(crate) fn ProvisioningFailed(reason: String, offer_id: String) -> impl IntoView {
    let equivalents = storage::read(Area::Session, &offer_snapshot_key(&offer_id))
        .and_then(|raw| decode_offer(&raw).ok())
        .map_or_else(|| Route::Offers.href(), |offer| equivalents_link(&offer));
    view! {
        <Alert title="Provisioning failed">
            <AlertMessage slot>{reason}</AlertMessage>
            <AlertAction slot>
                "Nothing is running or billed for this offer. "
                <A href=at(&equivalents)>"Choose an equivalent offer"</A>
            </AlertAction>
        </Alert>
    }
}
