//! What narrows the instances page: a lifecycle, text searched on the page
//! shown, and the page size. Each change is a new query in the URL.

use leptos::prelude::*;
use supply_model::k0rdent::LifecycleState;
use supply_model::k0rdent_list::{InstancesQuery, Position};

use super::pager::PageSizeSelect;

#[component]
pub(crate) fn InstanceFilters(
    query: Memo<InstancesQuery>,
    /// A new query, and whether it replaces the current history entry
    /// (typing does).
    go: Callback<(InstancesQuery, bool)>,
    position: Memo<Position>,
    /// To another page, or the first page with another size.
    on_move: Callback<Position>,
) -> impl IntoView {
    let lifecycle_options = LifecycleState::ALL
        .map(|state| {
            let value = state.as_str();
            view! {
                <option value=value selected=move || query.with(|q| q.lifecycle == Some(state))>{value}</option>
            }
        })
        .collect_view();
    let text = RwSignal::new(query.get_untracked().text);

    view! {
        <div class="filters" role="group" aria-label="Filter and page size">
            <div class="field">
                <label for="instances-lifecycle">"Lifecycle"</label>
                <select
                    id="instances-lifecycle"
                    on:change=move |ev| {
                        let mut next = query.get_untracked();
                        next.lifecycle = LifecycleState::parse(&event_target_value(&ev));
                        go.run((next, false));
                    }
                >
                    <option value="" selected=move || query.with(|q| q.lifecycle.is_none())>"Any lifecycle"</option>
                    {lifecycle_options}
                </select>
            </div>
            <div class="field">
                <label for="instances-text">"Search this page"</label>
                <input
                    id="instances-text"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="instances-text-hint"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        text.set(value.clone());
                        let mut next = query.get_untracked();
                        next.text = value;
                        go.run((next, true));
                    }
                />
                <p id="instances-text-hint" class="hint">"Name, id, hostname, GPU type or label."</p>
            </div>
            <PageSizeSelect id="instances-size" label="Instances per page" position=position.into() on_move />
        </div>
    }
}
