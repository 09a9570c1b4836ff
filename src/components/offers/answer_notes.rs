//! What the offers page says about the answer it shows: that it is being
//! asked again, what the service understood of the spec, and why no offer
//! is shown.

use leptos::prelude::*;
use supply_model::offer_query::{nothing_shown, OfferQuery, SearchIndex};
use supply_model::Offer;

use super::answers::Answer;

/// While the service is asked again, the last answer for the same spec
/// stays on screen: said here.
#[component]
pub(crate) fn StaleNote(loading: RwSignal<bool>, current: Memo<Option<Answer>>) -> impl IntoView {
    move || {
        (loading.get() && current.with(Option::is_some)).then(|| {
            view! {
                <p class="notice" role="status">
                    "Asking the vendors again; the offers shown are the last answer for this spec. Expired ones cannot be procured."
                </p>
            }
        })
    }
}

/// The filters the service says it applied, as it said them.
#[component]
pub(crate) fn Understood(current: Memo<Option<Answer>>) -> impl IntoView {
    move || {
        current.with(|c| {
            let applied = c.as_ref()?.answer.filters_applied.clone()?;
            Some(view! {
                <details class="understood">
                    <summary>"What the service understood"</summary>
                    <pre>{serde_json::to_string_pretty(&applied).unwrap_or_default()}</pre>
                </details>
            })
        })
    }
}

/// Why the table is empty once the service has answered: no offers for
/// the spec, or the filter here that removes the most.
#[component]
pub(crate) fn NothingShown(
    offers: Memo<Option<Vec<Offer>>>,
    selected: Memo<Vec<usize>>,
    index: Memo<SearchIndex>,
    query: Memo<OfferQuery>,
) -> impl IntoView {
    move || {
        let nothing_matches = selected.with(Vec::is_empty);
        let any = offers.with(|d| d.as_ref().is_some_and(|d| !d.is_empty()));
        let answered = offers.with(Option::is_some);
        (answered && nothing_matches).then(|| {
            let culprit = any
                .then(|| {
                    offers.with(|data| {
                        index.with(|index| {
                            query.with(|q| {
                                q.most_restrictive(data.as_deref().unwrap_or_default(), index)
                            })
                        })
                    })
                })
                .flatten();
            view! { <p class="empty" role="status">{nothing_shown(any, culprit)}</p> }
        })
    }
}
