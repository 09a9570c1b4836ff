//! What is being bought, in the published fields of `GET /offers/{id}`:
//! the GPUs (and for a cluster its nodes and interconnect), vendor and
//! region, contract and machine type, prices, the machine, its storage
//! volumes, whether it can still be ordered, and how long it stays valid.

use leptos::prelude::*;
use supply_model::pricing::{format_gb, format_usd};
use supply_model::procure_view::{
    bandwidth_label, boot_disk_label, gpu_count_label, offer_title, standing, volume_row,
};
use supply_model::time::{format_duration_secs, relative_to};
use supply_model::Offer;

use crate::state::clock::use_now;

/// The value as text, or "—" when it is missing.
pub(crate) fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".into(), |v| v.to_string())
}

fn usd(amount: Option<f64>) -> String {
    amount.map_or_else(|| "—".into(), format_usd)
}

fn gb(amount: Option<f64>) -> String {
    amount.map_or_else(|| "—".into(), format_gb)
}

#[component]
pub(crate) fn OfferSummary(
    #[prop(into)] offer: Signal<Offer>,
    /// The order was answered 410.
    #[prop(into)]
    gone: Signal<bool>,
) -> impl IntoView {
    let now = use_now();
    let status = move || offer.with(|o| standing(o, now.get(), gone.get()).label());
    let time_left = move || {
        offer.with(|o| {
            if o.is_expired(now.get()) || gone.get() {
                return "expired".to_owned();
            }
            match o.seconds_left(now.get()) {
                Some(secs) => format!("{} left", format_duration_secs(secs)),
                None => "no expiry given".to_owned(),
            }
        })
    };
    let field = move |get: fn(&Offer) -> String| move || offer.with(get);
    let cluster = move || offer.with(Offer::is_cluster);
    let volumes = move || {
        offer.with(|o| {
            o.storage_details
                .iter()
                .map(volume_row)
                .map(|row| {
                    view! {
                        <tr>
                            <th scope="row">{row.name}</th>
                            <td>{row.size}</td>
                            <td>{row.kind}</td>
                            <td>{row.class}</td>
                            <td>{row.persistent}</td>
                            <td>{row.hourly}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="offer-summary" aria-labelledby="offer-summary-title">
            <h2 id="offer-summary-title">{field(offer_title)}</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd class="offer-summary__status">{status}</dd>
                <dt>"GPU family"</dt><dd>{field(|o| or_dash(o.gpu_family.clone()))}</dd>
                <dt>"GPU model"</dt><dd><code>{field(|o| or_dash(o.gpu_type.clone()))}</code></dd>
                <dt>"GPUs"</dt><dd>{field(gpu_count_label)}</dd>
                {move || cluster().then(|| view! {
                    <dt>"Deployment"</dt><dd>{field(|o| or_dash(o.deployment_type.clone()))}</dd>
                    <dt>"InfiniBand"</dt><dd>{field(|o| bandwidth_label(o.infiniband_bandwidth_gbps))}</dd>
                    <dt>"Cluster storage"</dt><dd>{field(|o| gb(o.cluster_storage_gb))}</dd>
                })}
                <dt>"Vendor"</dt><dd>{field(|o| or_dash(o.vendor.clone()))}</dd>
                <dt>"Region group"</dt><dd>{field(|o| or_dash(o.region.clone()))}</dd>
                <dt>"Vendor region"</dt><dd>{field(|o| or_dash(o.vendor_region.clone()))}</dd>
                <dt>"Contract"</dt>
                <dd class:spot=move || offer.with(Offer::is_spot)>
                    {field(|o| or_dash(o.contract_type.as_ref().map(|c| c.label())))}
                </dd>
                <dt>"Type"</dt><dd>{field(|o| or_dash(o.kind.as_ref().map(|k| k.label())))}</dd>
                <dt>"Price per GPU-hour"</dt><dd>{field(|o| usd(o.price_per_gpu_hour()))}</dd>
                <dt>"Total per hour"</dt><dd>{field(|o| usd(o.total_hourly()))}</dd>
                <dt>"Storage per hour"</dt><dd>{field(|o| usd(o.storage_price_per_hour))}</dd>
                <dt>"vCPUs"</dt><dd>{field(|o| or_dash(o.vcpu_count))}</dd>
                <dt>"Memory"</dt><dd>{field(|o| gb(o.memory_in_gb))}</dd>
                <dt>"Boot disk"</dt><dd>{field(boot_disk_label)}</dd>
                <dt>"Storage volumes"</dt>
                <dd>{field(|o| match o.storage_details.len() {
                    0 => "none".to_owned(),
                    1 => "1, listed below".to_owned(),
                    n => format!("{n}, listed below"),
                })}</dd>
                <dt>"Valid"</dt>
                <dd class:expired=move || offer.with(|o| o.is_expired(now.get())) || gone.get()>{time_left}</dd>
                {move || offer.with(|o| o.procured_at.clone()).map(|at| {
                    let when = at
                        .parsed()
                        .map(|t| format!("{} ({})", relative_to(t, now.get()), at.0))
                        .unwrap_or_else(|| at.0.clone());
                    view! { <dt>"Procured"</dt><dd>{when}</dd> }
                })}
                <dt>"Offer"</dt><dd><code>{field(|o| o.offer_id.clone())}</code></dd>
            </dl>
            <Show when=move || offer.with(|o| !o.storage_details.is_empty())>
                <table class="offer-summary__volumes">
                    <caption>"Storage volumes"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Size"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Class"</th>
                            <th scope="col">"Lifetime"</th>
                            <th scope="col">"Cost"</th>
                        </tr>
                    </thead>
                    <tbody>{volumes}</tbody>
                </table>
            </Show>
        </section>
    }
}
