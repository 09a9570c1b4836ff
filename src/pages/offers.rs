//! `/offers`: live GPU offers. The spec goes to the service (debounced, one
//! request in flight, an older answer never replacing a newer one); search,
//! vendor region, a total cap and sort narrow its answer here. Filters and
//! sort live in the URL; the list refreshes itself before the soonest shown
//! offer expires, and while the service is asked again the last answer for
//! the same spec stays on screen, marked with its age.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use supply_model::offer_insights::{price_spread, refresh_delay_secs, PriceSpread};
use supply_model::offer_query::{OfferQuery, SearchIndex, Sort};
use supply_model::offer_spec::{OfferSpec, SpecField};
use supply_model::resource_query::distinct_values;
use supply_model::time::relative_to;
use supply_model::{ApiFailure, Offer, OffersAnswer};
use wasm_bindgen::JsCast;

use crate::api::supply;
use crate::components::error_panel::ErrorPanel;
use crate::components::offers::compare::OfferCompare;
use crate::components::offers::filters::{FilterChoices, OfferFilters};
use crate::components::offers::price_chart::PriceChart;
use crate::components::offers::saved_searches::SavedSearchBar;
use crate::components::offers::spec_panel::SpecPanel;
use crate::components::offers::table::OfferTable;
use crate::state::clock::use_now;
use crate::state::discovery::use_discovery;
use crate::state::session::use_session;
use crate::state::storage::{self, Area};
use crate::state::timer::PageTimer;

/// Never wait longer than this between refreshes.
const MAX_REFRESH_SECS: i64 = 60;
/// How long typing must pause before the URL, the price chart and the
/// refresh plan follow the table.
const SETTLE_MS: u64 = 300;
/// How long the spec must stay the same before it is sent.
const SEND_AFTER_MS: u64 = 400;
/// Answers kept per spec, so going back to a spec shows its last answer.
const KEPT_ANSWERS: usize = 8;
/// Where the last search is kept (an `OfferQuery` string), for a first
/// visit without one and for the procure page's storage volumes.
pub const LAST_SEARCH_KEY: &str = "supply.offers.last-search";

/// One answer, for the spec it answered, and when.
#[derive(Clone, PartialEq)]
struct Answer {
    spec_yaml: String,
    answer: Arc<OffersAnswer>,
    at: DateTime<Utc>,
}

#[component]
pub fn OffersPage() -> impl IntoView {
    let session = use_session();
    let discovery = use_discovery();
    discovery.ensure(session);
    let location = use_location();
    let navigate = use_navigate();
    let now = use_now();

    // A first visit opens on the last search.
    if location.search.get_untracked().is_empty() {
        if let Some(last) = storage::read(Area::Local, LAST_SEARCH_KEY).filter(|s| !s.is_empty()) {
            navigate(
                &format!("/offers?{last}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    }

    // The view's state; the URL mirrors it. Typing updates the table at
    // once, and the URL, the chart and the refresh plan when the typing
    // pauses, so a keystroke pays for the table alone.
    let state = RwSignal::new(OfferQuery::from_query_string(
        &location.search.get_untracked(),
    ));
    Effect::new(move |_| {
        let search = location.search.get();
        if !search.is_empty() {
            storage::write(Area::Local, LAST_SEARCH_KEY, search.trim_start_matches('?'));
        }
        let from_url = OfferQuery::from_query_string(&search);
        if state.with_untracked(|current| *current != from_url) {
            state.set(from_url);
        }
    });
    // The GPU families to ask for when none is chosen, once discovery has
    // answered (or fallen back).
    let families = Memo::new(move |_| discovery.families(session));
    // The query as sent: every family when no GPU is chosen, a count always.
    let query = Memo::new(move |_| {
        let mut query = state.get();
        if let Some(families) = families.get() {
            query.spec = query.request_spec(&families);
        }
        query
    });
    let spec = Memo::new(move |_| query.with(|q| q.spec.clone()));
    let go = move |next: &OfferQuery, replace: bool| {
        let search = next.to_query_string();
        storage::write(Area::Local, LAST_SEARCH_KEY, &search);
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
    let on_spec = Callback::new(move |next: OfferSpec| {
        let mut query = query.get_untracked();
        query.spec = next;
        on_change.run(query);
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

    // What goes to the service: the spec once it has held still, and only
    // when it has nothing the service would refuse.
    // Until discovery names the GPU families, the spec has no GPU type yet:
    // that is not the user's problem to see (nor a line that appears and
    // goes, shifting the page).
    let local_problems = Memo::new(move |_| {
        if families.with(Option::is_none) {
            return Vec::new();
        }
        spec.with(OfferSpec::problems)
    });
    let sent = RwSignal::new(None::<OfferSpec>);
    let send_timer = PageTimer::in_current_owner();
    // Reads the spec itself, not `local_problems` (derived from it): an
    // effect that reads a memo and one derived from it can miss the change.
    Effect::new(move |_| {
        let next = spec.get();
        if families.with(Option::is_none) || !next.problems().is_empty() {
            return;
        }
        match sent.with_untracked(|s| s.as_ref().map(|s| *s == next)) {
            // The first query goes at once.
            None => sent.set(Some(next)),
            // Changed and changed back before it was sent.
            Some(true) => send_timer.cancel(),
            Some(false) => send_timer.set(Duration::from_millis(SEND_AFTER_MS), move || {
                sent.try_set(Some(next));
            }),
        }
    });

    // The answers, kept per spec. Each request belongs to this effect's
    // run: a newer spec aborts it, and only the newest may land.
    let answers = RwSignal::new(Vec::<Answer>::new());
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let reloads = RwSignal::new(0_u64);
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        reloads.track();
        let Some(spec) = sent.get() else { return };
        let spec_yaml = spec.to_yaml();
        let request = supply::get_offers(session, &spec);
        let generation = latest.get_value() + 1;
        latest.set_value(generation);
        loading.set(true);
        spawn_local(async move {
            let result = request.await;
            if latest.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(answer) => {
                    answers.try_update(|kept| {
                        kept.retain(|a| a.spec_yaml != spec_yaml);
                        kept.insert(
                            0,
                            Answer {
                                spec_yaml,
                                answer: Arc::new(answer),
                                at: Utc::now(),
                            },
                        );
                        kept.truncate(KEPT_ANSWERS);
                    });
                    failure.try_set(None);
                }
                Err(ApiFailure::Aborted) => {}
                Err(problem) => {
                    failure.try_set(Some(problem));
                }
            }
            loading.try_set(false);
        });
    });
    let reload = move || reloads.update(|n| *n += 1);
    // The answer for the spec on screen, if any came.
    let current = Memo::new(move |_| {
        let yaml = sent.with(|s| s.as_ref().map(OfferSpec::to_yaml))?;
        answers.with(|kept| kept.iter().find(|a| a.spec_yaml == yaml).cloned())
    });
    let offers = Memo::new(move |_| current.with(|c| c.as_ref().map(|a| a.answer.offers.clone())));
    let updated_at = Memo::new(move |_| current.with(|c| c.as_ref().map(|a| a.at)));

    let index = Memo::new(move |_| {
        offers.with(|data| data.as_deref().map(SearchIndex::new).unwrap_or_default())
    });
    // The order follows the sort and the answer, not each keystroke, so
    // typing only filters an already sorted list.
    let sort = Memo::new(move |_| query.with(|q| q.sort));
    let order = Memo::new(move |_| {
        offers.with(|data| {
            index.with(|index| index.order(data.as_deref().unwrap_or_default(), sort.get()))
        })
    });
    let selected = Memo::new(move |_| {
        offers.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            index
                .with(|index| order.with(|order| query.with(|q| q.select_from(data, index, order))))
        })
    });
    let choices = Memo::new(move |_| {
        let vendor_regions = offers.with(|data| {
            distinct_values(data.as_deref().unwrap_or_default(), |o: &Offer| {
                o.vendor_region.as_deref().unwrap_or_default()
            })
        });
        discovery.choices.with(|c| FilterChoices {
            gpus: c.gpus.value.clone(),
            vendors: c.vendors.value.clone(),
            regions: c.regions.value.clone(),
            contracts: c.contracts.value.clone(),
            vendor_regions,
        })
    });
    // The service's refusal, or what it would refuse, on the field it names.
    let field_errors = Signal::derive(move || {
        let mut placed: Vec<(SpecField, String)> = local_problems.with(|problems| {
            problems
                .iter()
                .map(|p| (p.field, p.message.clone()))
                .collect()
        });
        if let Some(ApiFailure::Validation { fields }) = failure.get() {
            placed.extend(fields.iter().map(|field| {
                let loc: Vec<String> = field.loc.iter().map(ToString::to_string).collect();
                (SpecField::from_loc(&loc), field.msg.clone())
            }));
        }
        placed
    });
    // While typing, the chart keeps what it shows (and does not track the
    // selection), and catches up when the typing pauses.
    let spreads = Memo::new(move |shown: Option<&Vec<PriceSpread>>| match shown {
        Some(shown) if typing.get() => shown.clone(),
        _ => offers
            .with(|data| selected.with(|s| price_spread(data.as_deref().unwrap_or_default(), s))),
    });
    let compared = RwSignal::new(Vec::<String>::new());
    let compared_offers = Signal::derive(move || {
        compared.with(|ids| {
            offers.with(|data| {
                ids.iter()
                    .filter_map(|id| data.as_deref()?.iter().find(|o| &o.offer_id == id).cloned())
                    .collect()
            })
        })
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
            reload,
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
        next.spec.compute.gpu_types = vec![gpu];
        on_change.run(next);
    });
    let on_sort = Callback::new(move |sort: Sort| {
        let mut next = query.get_untracked();
        next.sort = sort;
        on_change.run(next);
    });
    let retry = Callback::new(move |()| reload());

    let summary = move || {
        let shown = selected.with(Vec::len);
        let Some(answer) = current.get() else {
            return String::new();
        };
        let total = answer
            .answer
            .total_count
            .map_or(answer.answer.offers.len() as u64, |n| n);
        let age = relative_to(answer.at, now.get());
        format!("{shown} of {total} offers · updated {age}")
    };
    let stale_note = move || {
        (loading.get() && current.with(Option::is_some)).then(|| {
            view! {
                <p class="notice" role="status">
                    "Asking the vendors again; the offers shown are the last answer for this spec. Expired ones cannot be procured."
                </p>
            }
        })
    };
    let understood = move || {
        current.with(|c| {
            let applied = c.as_ref()?.answer.filters_applied.clone()?;
            Some(view! {
                <details class="understood">
                    <summary>"What the service understood"</summary>
                    <pre>{serde_json::to_string_pretty(&applied).unwrap_or_default()}</pre>
                </details>
            })
        })
    };
    let discovery_note = move || {
        discovery.choices.with(|c| {
            let fallback = [
                ("GPU", &c.gpus.fallback_reason),
                ("vendor", &c.vendors.fallback_reason),
                ("region", &c.regions.fallback_reason),
                ("contract", &c.contracts.fallback_reason),
            ]
            .into_iter()
            .filter_map(|(what, reason)| Some(format!("{what} ({})", reason.as_ref()?)))
            .collect::<Vec<_>>();
            let asked = c.gpus.fetched_at.map(|at| relative_to(at, now.get()));
            match (fallback.is_empty(), asked) {
                (true, Some(age)) => Some(format!("Choices from the service, asked {age}.")),
                (true, None) => None,
                (false, _) => Some(format!(
                    "Showing the documented choices for: {}.",
                    fallback.join(", ")
                )),
            }
        })
    };
    let empty_state = move || {
        let nothing_matches = selected.with(Vec::is_empty);
        let any = offers.with(|d| d.as_ref().is_some_and(|d| !d.is_empty()));
        let answered = offers.with(Option::is_some);
        (answered && nothing_matches).then(|| {
            let text = if any {
                let culprit = offers.with(|data| {
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
                format!("No offers match.{hint}")
            } else {
                "The service has no offers for this spec right now. Try another GPU, count, region or a higher price cap.".to_owned()
            };
            view! { <p class="empty" role="status">{text}</p> }
        })
    };
    let base_url = Signal::derive(move || session.base_url().get());
    let storage_classes =
        Signal::derive(move || discovery.choices.with(|c| c.storage_classes.value.clone()));

    view! {
        <section class="page offers" aria-labelledby="offers-title">
            <div class="page-heading">
                <h1 id="offers-title">"GPU offers"</h1>
                <button type="button" on:click=move |_| reload() disabled=move || loading.get()>
                    {move || if loading.get() { "Asking vendors…" } else { "Refresh" }}
                </button>
                <p class="summary" aria-live="polite">{summary}</p>
            </div>
            <p class="hint">{discovery_note}</p>
            <OfferFilters query choices=choices.into() errors=field_errors on_change on_type />
            <SpecPanel spec storage_classes base_url on_change=on_spec />
            <SavedSearchBar query />
            {move || failure.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            {stale_note}
            {understood}
            {move || match offers.with(Option::is_some) {
                true => Either::Left(view! {
                    <PriceChart spreads=spreads.into() on_pick=pick_gpu />
                    {empty_state}
                    <OfferCompare offers=compared_offers on_clear=move |()| compared.set(Vec::new()) />
                    <OfferTable offers=offers.into() selected sort on_sort compared />
                }),
                false => Either::Right(
                    failure.with(Option::is_none).then(|| view! {
                        <p role="status">"Asking every vendor for live offers… this takes a few seconds."</p>
                    }),
                ),
            }}
        </section>
    }
}
