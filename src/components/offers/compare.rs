//! Two to four offers side by side, with what differs marked and the
//! price gap to the cheapest.

use leptos::prelude::*;
use supply_model::offer_insights::{compare_offers, price_differences};
use supply_model::Offer;

use crate::components::on_demand::{on_demand_part, shown_when_loaded};
use crate::state::clock::use_now;

/// The comparison, once two offers are picked: its code is fetched then
/// (or by the background preload), not with the page.
#[component]
pub(crate) fn OfferCompare(
    offers: Signal<Vec<Offer>>,
    #[prop(into)] on_clear: Callback<()>,
) -> impl IntoView {
    let shown = Memo::new(move |_| offers.with(|picked| picked.len() >= 2));
    move || {
        shown
            .get()
            .then(|| shown_when_loaded("comparison", compared_view(offers, on_clear)))
    }
}

on_demand_part!(
    compare_chunk,
    fn compared_view(offers: Signal<Vec<Offer>>, on_clear: Callback<()>) -> AnyView {
        view! { <ComparedOffers offers on_clear /> }.into_any()
    }
);

#[component]
fn ComparedOffers(offers: Signal<Vec<Offer>>, on_clear: Callback<()>) -> impl IntoView {
    let now = use_now();
    move || {
        let picked = offers.get();
        if picked.len() < 2 {
            return None;
        }
        let refs: Vec<&Offer> = picked.iter().collect();
        let rows = compare_offers(&refs, now.get());
        let gaps = price_differences(&refs);
        let headers = picked
            .iter()
            .enumerate()
            .map(|(at, offer)| {
                let name = format!("{} {}", at + 1, offer.vendor.clone().unwrap_or_default());
                view! { <th scope="col">{name}</th> }
            })
            .collect_view();
        let body = rows
            .into_iter()
            .map(|row| {
                let cells = row
                    .values
                    .into_iter()
                    .map(|value| view! { <td>{value}</td> })
                    .collect_view();
                let label = if row.differs {
                    format!("{} (differs)", row.label)
                } else {
                    row.label.to_owned()
                };
                view! {
                    <tr class:differs=row.differs>
                        <th scope="row">{label}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        let gap_cells = gaps
            .into_iter()
            .map(|gap| view! { <td>{gap}</td> })
            .collect_view();
        Some(view! {
            <section class="compare" aria-labelledby="compare-title">
                <div class="page-heading">
                    <h2 id="compare-title">"Compare offers"</h2>
                    <button type="button" on:click=move |_| on_clear.run(())>"Clear comparison"</button>
                </div>
                <div class="table-wrap">
                    <table aria-labelledby="compare-title">
                        <thead><tr><th scope="col">"Field"</th>{headers}</tr></thead>
                        <tbody>
                            {body}
                            <tr class="differs"><th scope="row">"Price difference"</th>{gap_cells}</tr>
                        </tbody>
                    </table>
                </div>
            </section>
        })
    }
}
