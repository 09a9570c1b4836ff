//! `/offers`: live GPU offers. The spec goes to the service (debounced, one
//! request in flight, an older answer never replacing a newer one); search,
//! vendor region, a total cap and sort narrow its answer here. Filters and
//! sort live in the URL; the list refreshes itself before the soonest shown
//! offer expires, and while the service is asked again the last answer for
//! the same spec stays on screen, marked with its age.

use std::time::Duration;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use supply_model::offer_insights::{picked_offers, price_spread, PriceSpread};
use supply_model::offer_query::{OfferQuery, SearchIndex, Sort};
use supply_model::offer_spec::{field_messages, OfferSpec};
use supply_model::routes::{Page, Route};

use crate::components::error_panel::ErrorPanel;
use crate::components::later::DrawnLater;
use crate::components::offers::answer_notes::{NothingShown, StaleNote, Understood};
use crate::components::offers::answers::OfferAnswers;
use crate::components::offers::compare::OfferCompare;
use crate::components::offers::filters::{jump_to_search_on_slash, FilterChoices, OfferFilters};
use crate::components::offers::price_chart::PriceChart;
use crate::components::offers::saved_searches::SavedSearchBar;
use crate::components::offers::spec_panel::SpecPanel;
use crate::components::offers::table::OfferTable;
use crate::components::toast::use_toasts;
use crate::state::clock::use_now;
use crate::state::discovery::use_discovery;
use crate::state::session::use_session;
use crate::state::storage::{self, Area};
use crate::state::timer::PageTimer;
use crate::state::yaml_reader::use_yaml_reader;

/// How long typing must pause before the URL, the price chart and the
/// refresh plan follow the table.
const SETTLE_MS: u64 = 300;

/// The Refresh button's label while an answer is awaited, its longer one.
const ASKING_LABEL: &str = "Asking vendors…";
/// Where the last search is kept (an `OfferQuery` string), for a first
/// visit without one and for the procure page's storage volumes.
pub(crate) const LAST_SEARCH_KEY: &str = "supply.offers.last-search";

#[component]
pub(crate) fn OffersPage() -> impl IntoView {
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
                &Route::Offers.href_with_query(&last),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    }

    // The view's state; the URL mirrors it. Typing updates the table at
    // once, and the URL, the chart and the refresh plan when the typing
    // pauses, so a keystroke pays for the table alone. A link that carries
    // the whole spec (YAML) is read once the parser is fetched.
    let yaml = use_yaml_reader();
    let state = RwSignal::new(OfferQuery::from_query_string_with(
        &location.search.get_untracked(),
        yaml.spec_untracked(),
    ));
    Effect::new(move |_| {
        let search = location.search.get();
        if !search.is_empty() {
            storage::write(Area::Local, LAST_SEARCH_KEY, search.trim_start_matches('?'));
        }
        if OfferQuery::has_whole_spec(&search) {
            yaml.fetch();
        }
        let from_url = OfferQuery::from_query_string_with(&search, yaml.spec());
        if state.with_untracked(|current| *current != from_url) {
            state.set(from_url);
        }
    });
    // The link's spec could not be read: say so, and search with the rest.
    let toasts = use_toasts();
    Effect::new(move |_| {
        if yaml.failed()
            && location
                .search
                .with_untracked(|s| OfferQuery::has_whole_spec(s))
        {
            toasts.push(
                "This link's spec could not be read: the YAML parser did not load. Check the connection and reload; meanwhile the filters show every offer.".to_owned(),
            );
        }
    });
    // Nothing is asked while a link's spec waits for the parser, so the
    // service is asked for that spec, not for everything first.
    let spec_unread = Memo::new(move |_| {
        location.search.with(|s| OfferQuery::has_whole_spec(s))
            && yaml.spec().is_none()
            && !yaml.failed()
    });
    // The GPU families to ask for when none is chosen, once discovery has
    // answered (or fallen back).
    let families = Memo::new(move |_| {
        if spec_unread.get() {
            None
        } else {
            discovery.families(session)
        }
    });
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
        let path = Route::Offers.href_with_query(&search);
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

    let answers = OfferAnswers::new(session, spec, families);
    let OfferAnswers {
        local_problems,
        loading,
        failure,
        current,
        ..
    } = answers;
    let offers = Memo::new(move |_| current.with(|c| c.as_ref().map(|a| a.answer.offers.clone())));
    // Whether there is an answer to show: the parts that show it are made
    // once, and follow each new answer, rather than made anew with it.
    let has_offers = Memo::new(move |_| offers.with(Option::is_some));

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
        let gpus_settled = families.with(Option::is_some);
        offers.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            discovery
                .choices
                .with(|c| FilterChoices::new(c, data, gpus_settled))
        })
    });
    // The service's refusal, or what it would refuse, on the field it names.
    let field_errors = Signal::derive(move || {
        local_problems.with(|problems| failure.with(|f| field_messages(problems, f.as_ref())))
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
        compared
            .with(|ids| offers.with(|data| picked_offers(ids, data.as_deref().unwrap_or_default())))
    });

    answers.refresh_before_expiry(index, selected, typing);
    jump_to_search_on_slash();

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
    let retry = Callback::new(move |()| answers.reload());

    let summary = move || {
        let shown = selected.with(Vec::len);
        current.with(|c| {
            c.as_ref()
                .map(|a| a.summary(shown, now.get()))
                .unwrap_or_default()
        })
    };
    let discovery_note = move || discovery.choices.with(|c| c.note(now.get()));
    let base_url = Signal::derive(move || session.base_url().get());
    let storage_classes =
        Signal::derive(move || discovery.choices.with(|c| c.storage_classes.value.clone()));

    view! {
        <section class="page offers" aria-labelledby="offers-title">
            <div class="page-heading">
                <h1 id="offers-title">{Page::Offers.heading()}</h1>
                <button type="button" class="steady-label" on:click=move |_| answers.reload() disabled=move || loading.get()>
                    <span>{move || if loading.get() { ASKING_LABEL } else { "Refresh" }}</span>
                    // The longer label, unseen, holds the button's width.
                    <span class="unseen" aria-hidden="true">{ASKING_LABEL}</span>
                </button>
                <p class="summary" aria-live="polite">{summary}</p>
            </div>
            <p class="lead">{Page::Offers.lead()}</p>
            <p class="hint">{discovery_note}</p>
            <OfferFilters query choices=choices.into() errors=field_errors on_change on_type />
            // The rest in the next task: the spec, the saved searches and
            // the answer are below the first screen.
            <DrawnLater>
                <SpecPanel spec storage_classes base_url on_change=on_spec />
                <SavedSearchBar query />
                {move || failure.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
                <StaleNote loading current />
                <Understood current />
                {move || match has_offers.get() {
                    true => Either::Left(view! {
                        <PriceChart spreads=spreads.into() on_pick=pick_gpu />
                        <NothingShown offers selected index query />
                        <OfferCompare offers=compared_offers on_clear=move |()| compared.set(Vec::new()) />
                        // The table, last on the page, comes in the task after
                        // the rest of the first answer: one long task on a slow
                        // phone becomes two shorter ones, and nothing moves.
                        <DrawnLater>
                            <OfferTable offers=offers.into() selected sort on_sort compared />
                        </DrawnLater>
                    }),
                    false => Either::Right(
                        failure.with(Option::is_none).then(|| view! {
                            <p role="status">"Asking every vendor for live offers… this takes a few seconds."</p>
                        }),
                    ),
                }}
            </DrawnLater>
        </section>
    }
}
