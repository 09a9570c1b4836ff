//! Offers that can stand in for one that can no longer be ordered (expired,
//! procured, failed, or gone): the same GPU family and count, region group
//! and contract, at most a quarter dearer per GPU-hour, asked of
//! `POST /get_offers`. Each opens the procure form for it; the draft (key,
//! script, names) carries over.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::pricing::format_usd;
use supply_model::procure_form::{equivalent_spec, equivalents_link, pick_equivalents};
use supply_model::procure_view::offer_title;
use supply_model::routes::Route;
use supply_model::Offer;

use super::offer_summary::or_dash;
use crate::api::{supply, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::state::base::at;
use crate::state::session::use_session;

/// How many to suggest.
const SUGGESTIONS: usize = 5;

#[component]
pub(crate) fn EquivalentOffers(original: Offer) -> impl IntoView {
    let session = use_session();
    let spec = equivalent_spec(&original);
    let original_id = original.offer_id.clone();
    let more = equivalents_link(&original);
    let found = use_remote(move || supply::get_offers(session, &spec));
    let picks = Memo::new(move |_| {
        found.data.with(|answer| {
            pick_equivalents(
                answer
                    .as_ref()
                    .map(|a| a.offers.as_slice())
                    .unwrap_or_default(),
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
                let href = Route::Procure {
                    offer_id: offer.offer_id.clone(),
                }
                .href();
                let text = format!(
                    "{} · {} · {} ({}) · {} · {}/GPU-hour · {}/h",
                    offer_title(&offer),
                    or_dash(offer.vendor.as_ref()),
                    or_dash(offer.region.as_ref()),
                    or_dash(offer.vendor_region.as_ref()),
                    or_dash(offer.contract_type.as_ref().map(|c| c.label())),
                    offer
                        .price_per_gpu_hour()
                        .map_or_else(|| "—".into(), format_usd),
                    offer.total_hourly().map_or_else(|| "—".into(), format_usd),
                );
                view! { <li><A href=at(&href)>{text}</A></li> }
            })
            .collect_view()
    };
    let retry = Callback::new(move |()| found.reload());
    view! {
        <section class="equivalents" aria-labelledby="equivalents-title">
            <h2 id="equivalents-title">"Equivalent offers"</h2>
            <p class="muted">"Same GPU family and count, region and contract, at most 25% dearer per GPU-hour. Your key and script stay in the form."</p>
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
