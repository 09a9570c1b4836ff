//! `/offers`: live GPU offers from `POST /get_offers`.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::pricing::format_usd;
use supply_model::time::format_duration_secs;
use supply_model::{decode_offers, ApiFailure, GetOffersRequest, Offer};

use crate::api::use_remote;
use crate::components::error_panel::ErrorPanel;
use crate::state::clock::use_now;
use crate::state::session::use_session;

#[component]
pub fn OffersPage() -> impl IntoView {
    let session = use_session();
    let offers = use_remote(move || {
        let request = session.client().map(|client| {
            client.send_decoded(
                gloo_net::http::Method::POST,
                "/get_offers",
                Some(&GetOffersRequest::default()),
                decode_offers,
            )
        });
        async move {
            match request {
                Some(request) => request.await,
                None => Err(ApiFailure::NotConfigured),
            }
        }
    });
    let retry = Callback::new(move |()| offers.reload());

    view! {
        <section class="page offers" aria-labelledby="offers-title">
            <div class="page-heading">
                <h1 id="offers-title">"GPU offers"</h1>
                <button type="button" on:click=move |_| retry.run(())>"Refresh"</button>
            </div>
            {move || offers.error.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            {move || match offers.data.get() {
                Some(list) => Either::Left(view! { <OfferTable offers=list /> }),
                None => Either::Right(
                    offers.error.with(Option::is_none)
                        .then(|| view! { <p role="status">"Loading offers…"</p> }),
                ),
            }}
        </section>
    }
}

#[component]
fn OfferTable(offers: Vec<Offer>) -> impl IntoView {
    let count = offers.len();
    view! {
        <p class="summary">{format!("{count} offers")}</p>
        <div class="table-wrap">
            <table aria-label="GPU offers">
                <thead>
                    <tr>
                        <th scope="col">"GPU"</th>
                        <th scope="col">"GPUs"</th>
                        <th scope="col">"GPU memory"</th>
                        <th scope="col">"Vendor"</th>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"vCPUs"</th>
                        <th scope="col">"Memory"</th>
                        <th scope="col">"Storage"</th>
                        <th scope="col">"$/hour"</th>
                        <th scope="col">"$/GPU-hour"</th>
                        <th scope="col">"Expires in"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {offers.into_iter().map(|offer| view! { <OfferRow offer /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn gb(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), supply_model::pricing::format_gb)
}

#[component]
fn OfferRow(offer: Offer) -> impl IntoView {
    let now = use_now();
    let seconds_left = {
        let offer = offer.clone();
        Memo::new(move |_| offer.seconds_left(now.get()))
    };
    let expired = move || seconds_left.get().is_some_and(|left| left <= 0);
    let offer_type = offer
        .offer_type
        .as_ref()
        .map(|kind| match offer.node_count {
            Some(nodes) => format!("{} · {nodes} nodes", kind.label()),
            None => kind.label().to_owned(),
        });
    let procure_href = format!("/offers/{}/procure", offer.offer_id);
    let gpu = offer
        .gpu_type
        .clone()
        .unwrap_or_else(|| "Unknown GPU".into());
    let procure_label = format!("Procure {gpu} offer");
    view! {
        <tr class:expired=expired>
            <td>{gpu}</td>
            <td class="num">{or_dash(offer.gpu_count)}</td>
            <td class="num">{gb(offer.gpu_memory_gb)}</td>
            <td>{or_dash(offer.vendor.clone())}</td>
            <td>{or_dash(offer.vendor_region.clone())}</td>
            <td>{or_dash(offer_type)}</td>
            <td class="num">{or_dash(offer.vcpus)}</td>
            <td class="num">{gb(offer.memory_gb)}</td>
            <td class="num">{gb(offer.storage_gb)}</td>
            <td class="num">{offer.pricing_hourly.map_or_else(|| "—".into(), format_usd)}</td>
            <td class="num">{offer.price_per_gpu_hour().map_or_else(|| "—".into(), format_usd)}</td>
            <td class="num">
                {move || match seconds_left.get() {
                    Some(left) if left > 0 => format_duration_secs(left),
                    Some(_) => "Expired".to_owned(),
                    None => "—".to_owned(),
                }}
            </td>
            <td>
                {move || if expired() {
                    Either::Left(view! { <span class="muted">"Expired"</span> })
                } else {
                    Either::Right(view! {
                        <A href=procure_href.clone() attr:aria-label=procure_label.clone()>"Procure"</A>
                    })
                }}
            </td>
        </tr>
    }
}
