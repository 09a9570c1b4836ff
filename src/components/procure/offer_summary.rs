//! What is being bought: the offer's GPUs, vendor, region, price and how
//! long it stays valid.

use leptos::prelude::*;
use supply_model::pricing::{format_gb, format_usd};
use supply_model::time::format_duration_secs;
use supply_model::Offer;

use crate::state::clock::use_now;

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".into())
}

/// "8 × H100 80 GB".
pub fn gpu_label(offer: &Offer) -> String {
    let count = offer
        .gpu_count
        .map(|n| format!("{n} × "))
        .unwrap_or_default();
    let gpu = offer.gpu_type.clone().unwrap_or_else(|| "GPU".into());
    let memory = offer
        .gpu_memory_gb
        .map(|gb| format!(" {}", format_gb(gb)))
        .unwrap_or_default();
    format!("{count}{gpu}{memory}")
}

pub fn kind_label(offer: &Offer) -> String {
    match (&offer.offer_type, offer.node_count) {
        (Some(kind), Some(nodes)) if nodes > 1 => format!("{} of {nodes} nodes", kind.label()),
        (Some(kind), _) => kind.label().to_owned(),
        (None, _) => "—".into(),
    }
}

#[component]
pub fn OfferSummary(#[prop(into)] offer: Signal<Offer>) -> impl IntoView {
    let now = use_now();
    let time_left = move || {
        offer.with(|o| match o.seconds_left(now.get()) {
            Some(secs) if secs > 0 => format!("{} left", format_duration_secs(secs)),
            Some(_) => "expired".to_owned(),
            None => "no expiry given".to_owned(),
        })
    };
    let field = move |get: fn(&Offer) -> String| move || offer.with(get);
    view! {
        <section class="offer-summary" aria-labelledby="offer-summary-title">
            <h2 id="offer-summary-title">{field(gpu_label)}</h2>
            <dl class="facts">
                <dt>"Vendor"</dt><dd>{field(|o| or_dash(o.vendor.clone()))}</dd>
                <dt>"Region"</dt><dd>{field(|o| or_dash(o.vendor_region.clone()))}</dd>
                <dt>"Type"</dt><dd>{field(kind_label)}</dd>
                <dt>"vCPUs, memory, storage"</dt>
                <dd>{field(|o| format!(
                    "{} vCPUs, {}, {}",
                    o.vcpus.map_or_else(|| "—".into(), |n| n.to_string()),
                    o.memory_gb.map_or_else(|| "—".into(), format_gb),
                    o.storage_gb.map_or_else(|| "—".into(), format_gb),
                ))}</dd>
                <dt>"Price"</dt>
                <dd>{field(|o| format!(
                    "{}/h · {}/GPU-hour",
                    o.pricing_hourly.map_or_else(|| "—".into(), format_usd),
                    o.price_per_gpu_hour().map_or_else(|| "—".into(), format_usd),
                ))}</dd>
                <dt>"Valid"</dt>
                <dd class:expired=move || offer.with(|o| o.is_expired(now.get()))>{time_left}</dd>
                <dt>"Offer"</dt><dd><code>{field(|o| o.offer_id.clone())}</code></dd>
            </dl>
        </section>
    }
}
