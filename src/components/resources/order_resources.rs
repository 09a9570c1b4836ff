//! An order's resources on its status page (`GET /resources?offer_id=`,
//! as the lifecycle guide does before deleting), with their cost and a
//! bulk delete: after a failed or unwanted order, end what it left.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::deletion::{display_name, Lifecycle};
use supply_model::pricing::format_usd;
use supply_model::routes::Route;
use supply_model::text::or_dash;

use super::bulk_delete::{BulkDelete, PickBox};
use super::StatusBadge;
use crate::api::{supply, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::state::base::at;
use crate::state::session::use_session;

#[component]
pub(crate) fn OrderResources(
    offer_id: String,
    /// Asked again when this changes (the order settled, say).
    #[prop(into)]
    settled: Signal<bool>,
) -> impl IntoView {
    let session = use_session();
    let offer_id = StoredValue::new(offer_id);
    let listed = use_remote(move || {
        settled.track();
        offer_id.with_value(|id| supply::resources(session, Some(id)))
    });
    let picked_ids = RwSignal::new(BTreeSet::<String>::new());
    let picked = Signal::derive(move || {
        listed.data.with(|data| {
            picked_ids.with(|ids| {
                data.iter()
                    .flatten()
                    .filter(|r| ids.contains(&r.resource_id))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let after_bulk = Callback::new(move |()| {
        picked_ids.set(BTreeSet::new());
        listed.reload();
    });
    let retry = Callback::new(move |()| listed.reload());
    let rows = move || {
        listed.data.with(|data| {
            data.iter()
                .flatten()
                .map(|r| {
                    let id = r.resource_id.clone();
                    let href = Route::Resource { resource_id: id.clone() }.href();
                    let name = display_name(r).map_or_else(|| id.clone(), str::to_owned);
                    let ending = Lifecycle::of(&r.status).is_ending();
                    let price = or_dash(r.pricing_total_hourly.map(|p| format!("{}/h", format_usd(p))));
                    view! {
                        <tr>
                            <td class="pick"><PickBox resource_id=id name=name.clone() ending picked=picked_ids /></td>
                            <td><A href=at(&href)>{name}</A></td>
                            <td>{r.resource_type.clone()}</td>
                            <td><StatusBadge status=r.status.clone() /></td>
                            <td class="num">{price}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let empty = move || listed.data.with(|d| d.as_ref().is_some_and(Vec::is_empty));
    view! {
        <section class="order-resources" aria-labelledby="order-resources-title">
            <div class="page-heading">
                <h2 id="order-resources-title">"This order's resources"</h2>
                <BulkDelete picked on_done=after_bulk />
            </div>
            {move || listed.error.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            <Show
                when=move || !empty()
                fallback=|| view! { <p class="muted">"None yet: resources appear once the order is ready."</p> }
            >
                <div class="table-wrap">
                    <table aria-label="This order's resources">
                        <thead><tr>
                            <th scope="col" class="pick"><span class="visually-hidden">"Select"</span></th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"$/hour"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
