//! Named searches kept on this device: save the current filters, open or
//! delete a saved one.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::offer_query::OfferQuery;
use supply_model::routes::Route;
use supply_model::saved_search::SavedSearches;

use crate::state::base::at;
use crate::state::storage::{self, Area};

const KEY: &str = "supply.saved_searches";

#[component]
pub(crate) fn SavedSearchBar(query: Memo<OfferQuery>) -> impl IntoView {
    let saved = RwSignal::new(SavedSearches::from_json(
        storage::read(Area::Local, KEY).as_deref(),
    ));
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let store = move |next: SavedSearches| {
        if !storage::write(Area::Local, KEY, &next.to_json()) {
            problem.set(Some("This browser refused to store the search.".into()));
        }
        saved.set(next);
    };
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = saved.get_untracked();
        match next.save(
            &name.get_untracked(),
            &query.with_untracked(OfferQuery::to_query_string),
        ) {
            Ok(()) => {
                problem.set(None);
                name.set(String::new());
                store(next);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let list = move || {
        saved
            .get()
            .searches
            .into_iter()
            .map(|search| {
                let href = Route::Offers.href_with_query(&search.query);
                let delete_label = format!("Delete saved search {}", search.name);
                let doomed = search.name.clone();
                view! {
                    <li>
                        <A href=at(&href)>{search.name}</A>
                        <button
                            type="button"
                            class="link-button"
                            aria-label=delete_label
                            on:click=move |_| {
                                let mut next = saved.get_untracked();
                                next.remove(&doomed);
                                store(next);
                            }
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="saved-searches">
            <form on:submit=on_save class="inline-form">
                <label for="saved-search-name">"Save this search as"</label>
                <input id="saved-search-name" type="text" bind:value=name aria-describedby="saved-search-problem" />
                <button type="submit">"Save search"</button>
                <span id="saved-search-problem" class="field-error">{move || problem.get()}</span>
            </form>
            <ul class="saved-list" aria-label="Saved searches">{list}</ul>
        </div>
    }
}
