//! Offers that can stand in for one that expired or vanished: the same GPU
//! type and count, region and kind, at most a quarter dearer. Each opens
//! the procure form for it; the draft (key, script, names) carries over.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::pricing::format_usd;
use supply_model::procure_form::{equivalent_request, equivalents_link, pick_equivalents};
use supply_model::Offer;

use super::offer_summary::gpu_label;
use crate::api::{fetch_offers, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::state::base::at;
use crate::state::session::use_session;

/// How many to suggest.
const SUGGESTIONS: usize = 5;

#[component]
pub fn EquivalentOffers(original: Offer) -> impl IntoView {
    let session = use_session();
    let body = equivalent_request(&original);
    let original_id = original.offer_id.clone();
    let more = equivalents_link(&original);
    let found = use_remote(move || fetch_offers(session, &body));
    let picks = Memo::new(move |_| {
        found.data.with(|offers| {
            pick_equivalents(
                offers.as_deref().unwrap_or_default(),
                &original_id,
                Utc::now(),
                SUGGESTIONS,
            )
        })
    });
    let rows = move || {
        picks
            .get()
            .into_iter()
            .map(|offer| {
                let href = format!("/offers/{}/procure", offer.offer_id);
                let text = format!(
                    "{} · {} · {} · {}/h",
                    gpu_label(&offer),
                    offer.vendor.clone().unwrap_or_else(|| "—".into()),
                    offer.vendor_region.clone().unwrap_or_else(|| "—".into()),
                    offer.pricing_hourly.map_or_else(|| "—".into(), format_usd),
                );
                view! { <li><A href=at(&href)>{text}</A></li> }
            })
            .collect_view()
    };
    let retry = Callback::new(move |()| found.reload());
    view! {
        <section class="equivalents" aria-labelledby="equivalents-title">
            <h2 id="equivalents-title">"Equivalent offers"</h2>
            <p class="muted">"Same GPU type and count, region and kind, at most 25% dearer. Your key and script stay in the form."</p>
            {move || found.error.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            {move || {
                if found.is_pending() || found.loading.get() {
                    view! { <p role="status">"Looking for equivalent offers…"</p> }.into_any()
                } else if picks.with(Vec::is_empty) {
                    view! { <p role="status">"No equivalent offer is listed right now."</p> }.into_any()
                } else {
                    view! { <ul class="equivalents__list">{rows}</ul> }.into_any()
                }
            }}
            <p><A href=at(&more.clone())>"See all similar offers"</A></p>
        </section>
    }
}
