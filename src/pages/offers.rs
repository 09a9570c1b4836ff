//! `/offers`: live GPU offers. Filters and sort live in the URL; the list
//! refreshes itself before the soonest shown offer expires.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use supply_model::offer_insights::{price_spread, refresh_delay_secs, PriceSpread};
use supply_model::offer_query::{OfferQuery, SearchIndex, Sort};
use supply_model::time::relative_to;
use supply_model::Offer;
use wasm_bindgen::JsCast;

use crate::api::{fetch_offers, use_remote};
use crate::components::error_panel::ErrorPanel;
use crate::components::offers::compare::OfferCompare;
use crate::components::offers::filters::{FilterChoices, OfferFilters};
use crate::components::offers::price_chart::PriceChart;
use crate::components::offers::saved_searches::SavedSearchBar;
use crate::components::offers::table::OfferTable;
use crate::state::clock::use_now;
use crate::state::session::use_session;
use crate::state::timer::PageTimer;

/// Never wait longer than this between refreshes.
const MAX_REFRESH_SECS: i64 = 60;
/// How long typing must pause before the URL, the price chart and the
/// refresh plan follow the table.
const SETTLE_MS: u64 = 300;

fn distinct(offers: &[Offer], field: fn(&Offer) -> Option<&String>) -> Vec<String> {
    let mut values: Vec<String> = offers.iter().filter_map(field).cloned().collect();
    values.sort_by_key(|v| v.to_lowercase());
    values.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    values
}

#[component]
pub fn OffersPage() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let now = use_now();

    // The view's state; the URL mirrors it. Typing updates the table at
    // once, and the URL, the chart and the refresh plan when the typing
    // pauses, so a keystroke pays for the table alone.
    let state = RwSignal::new(OfferQuery::from_query_string(
        &location.search.get_untracked(),
    ));
    Effect::new(move |_| {
        let from_url = OfferQuery::from_query_string(&location.search.get());
        if state.with_untracked(|current| *current != from_url) {
            state.set(from_url);
        }
    });
    let query = Memo::new(move |_| state.get());
    let api_request = Memo::new(move |_| query.with(OfferQuery::to_request));
    let go = move |next: &OfferQuery, replace: bool| {
        let search = next.to_query_string();
        let path = if search.is_empty() {
            "/offers".to_owned()
        } else {
            format!("/offers?{search}")
        };
        navigate(
            &path,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_change = Callback::new({
        let go = go.clone();
        move |next: OfferQuery| {
            go(&next, false);
            state.set(next);
        }
    });
    let typing = RwSignal::new(false);
    let settle_timer = PageTimer::in_current_owner();
    let on_type = Callback::new(move |next: OfferQuery| {
        if !typing.get_untracked() {
            typing.set(true);
        }
        state.set(next);
        let go = go.clone();
        settle_timer.set(Duration::from_millis(SETTLE_MS), move || {
            if let Some(current) = state.try_get_untracked() {
                go(&current, true);
            }
            typing.try_set(false);
        });
    });

    let offers = use_remote(move || fetch_offers(session, &api_request.get()));
    let updated_at = RwSignal::new(None::<DateTime<Utc>>);
    let index = Memo::new(move |_| {
        offers
            .data
            .with(|data| data.as_deref().map(SearchIndex::new).unwrap_or_default())
    });
    // The order follows the sort and the answer, not each keystroke, so
    // typing only filters an already sorted list.
    let sort = Memo::new(move |_| query.with(|q| q.sort));
    let order = Memo::new(move |_| {
        offers.data.with(|data| {
            index.with(|index| index.order(data.as_deref().unwrap_or_default(), sort.get()))
        })
    });
    let selected = Memo::new(move |_| {
        offers.data.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            index
                .with(|index| order.with(|order| query.with(|q| q.select_from(data, index, order))))
        })
    });
    let choices = Memo::new(move |_| {
        offers.data.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            FilterChoices {
                gpu_types: distinct(data, |o| o.gpu_type.as_ref()),
                vendors: distinct(data, |o| o.vendor.as_ref()),
                regions: distinct(data, |o| o.vendor_region.as_ref()),
            }
        })
    });
    // While typing, the chart keeps what it shows (and does not track the
    // selection), and catches up when the typing pauses.
    let spreads = Memo::new(move |shown: Option<&Vec<PriceSpread>>| match shown {
        Some(shown) if typing.get() => shown.clone(),
        _ => offers
            .data
            .with(|data| selected.with(|s| price_spread(data.as_deref().unwrap_or_default(), s))),
    });
    let compared = RwSignal::new(Vec::<String>::new());
    let compared_offers = Signal::derive(move || {
        compared.with(|ids| {
            offers.data.with(|data| {
                ids.iter()
                    .filter_map(|id| data.as_deref()?.iter().find(|o| &o.offer_id == id).cloned())
                    .collect()
            })
        })
    });

    // A new answer: note when it came.
    Effect::new(move |_| {
        if offers.data.with(Option::is_some) {
            updated_at.set(Some(Utc::now()));
        }
    });
    // Plan the next refresh shortly before the soonest shown offer expires,
    // and no later than MAX_REFRESH_SECS after the answer, however long the
    // filters keep changing.
    let refresh_timer = PageTimer::in_current_owner();
    Effect::new(move |_| {
        let Some(answered) = updated_at.get() else {
            return;
        };
        if typing.get() {
            return;
        }
        let now = Utc::now();
        let ceiling = MAX_REFRESH_SECS - (now - answered).num_seconds();
        let delay =
            index.with(|index| selected.with(|s| refresh_delay_secs(index, s, now, ceiling)));
        refresh_timer.set(
            Duration::from_secs(u64::try_from(delay).unwrap_or(60)),
            move || offers.reload(),
        );
    });

    // "/" jumps to the search field from anywhere on the page.
    let slash = window_event_listener(leptos::ev::keydown, |ev| {
        let in_a_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/" && !in_a_field {
            if let Some(search) = document()
                .get_element_by_id("offer-search")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                ev.prevent_default();
                let _ = search.focus();
            }
        }
    });
    on_cleanup(move || slash.remove());

    let pick_gpu = Callback::new(move |gpu: String| {
        let mut next = query.get_untracked();
        next.gpu_types = vec![gpu];
        on_change.run(next);
    });
    let on_sort = Callback::new(move |sort: Sort| {
        let mut next = query.get_untracked();
        next.sort = sort;
        on_change.run(next);
    });
    let retry = Callback::new(move |()| offers.reload());

    let summary = move || {
        let shown = selected.with(Vec::len);
        let total = offers.data.with(|d| d.as_ref().map_or(0, Vec::len));
        let age = updated_at
            .get()
            .map(|at| format!(" · updated {}", relative_to(at, now.get())))
            .unwrap_or_default();
        format!("{shown} of {total} offers{age}")
    };
    let empty_state = move || {
        let nothing_matches = selected.with(Vec::is_empty)
            && offers
                .data
                .with(|d| d.as_ref().is_some_and(|d| !d.is_empty()));
        nothing_matches.then(|| {
            let culprit = offers.data.with(|data| {
                index.with(|index| {
                    query.with(|q| q.most_restrictive(data.as_deref().unwrap_or_default(), index))
                })
            });
            let hint = culprit
                .map(|(filter, removed)| {
                    format!(
                        " The {} filter removes the most ({removed} offers).",
                        filter.label()
                    )
                })
                .unwrap_or_default();
            view! {
                <p class="empty" role="status">{format!("No offers match.{hint}")}</p>
            }
        })
    };

    view! {
        <section class="page offers" aria-labelledby="offers-title">
            <div class="page-heading">
                <h1 id="offers-title">"GPU offers"</h1>
                <button type="button" on:click=move |_| offers.reload() disabled=move || offers.loading.get()>
                    {move || if offers.loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
                <p class="summary" aria-live="polite">{summary}</p>
            </div>
            <OfferFilters query choices=choices.into() on_change on_type />
            <SavedSearchBar query />
            {move || offers.error.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            {move || match offers.data.with(Option::is_some) {
                true => Either::Left(view! {
                    <PriceChart spreads=spreads.into() on_pick=pick_gpu />
                    {empty_state}
                    <OfferCompare offers=compared_offers on_clear=move |()| compared.set(Vec::new()) />
                    <OfferTable offers=offers.data.into() selected sort on_sort compared />
                }),
                false => Either::Right(
                    offers.error.with(Option::is_none).then(|| view! { <p role="status">"Loading offers…"</p> }),
                ),
            }}
        </section>
    }
}
