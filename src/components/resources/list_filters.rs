//! The list's filter bar: status, vendor and type. Every change becomes a
//! new query in the URL, so a copied link reproduces the view.

use leptos::prelude::*;
use supply_model::resource_query::ResourceQuery;

/// Choices offered by the current answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceChoices {
    pub statuses: Vec<String>,
    pub vendors: Vec<String>,
    pub types: Vec<String>,
}

fn optional(raw: String) -> Option<String> {
    (!raw.is_empty()).then_some(raw)
}

/// One labelled select; the current value stays a choice even when the
/// answer no longer holds it, so a shared link never silently loses it.
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    any: &'static str,
    #[prop(into)] choices: Signal<Vec<String>>,
    #[prop(into)] current: Signal<Option<String>>,
    #[prop(into)] on_pick: Callback<Option<String>>,
) -> impl IntoView {
    let options = move || {
        let selected = current.get();
        let mut values = choices.get();
        if let Some(value) = &selected {
            if !values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                values.push(value.clone());
            }
        }
        values
            .into_iter()
            .map(|value| {
                let is_selected = selected
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(&value));
                let label = value.clone();
                view! { <option value=value selected=is_selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                prop:value=move || current.get().unwrap_or_default()
                on:change=move |ev| on_pick.run(optional(event_target_value(&ev)))
            >
                <option value="" selected=move || current.with(Option::is_none)>{any}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
pub fn ResourceFilters(
    query: Memo<ResourceQuery>,
    choices: Memo<ResourceChoices>,
    #[prop(into)] on_change: Callback<ResourceQuery>,
) -> impl IntoView {
    let set = move |change: fn(&mut ResourceQuery, Option<String>)| {
        Callback::new(move |value: Option<String>| {
            let mut next = query.get_untracked();
            change(&mut next, value);
            on_change.run(next);
        })
    };
    view! {
        <form class="filters" role="search" aria-label="Filter resources" on:submit=|ev| ev.prevent_default()>
            <FilterSelect
                id="resource-status"
                label="Status"
                any="Any status"
                choices=Signal::derive(move || choices.with(|c| c.statuses.clone()))
                current=Signal::derive(move || query.with(|q| q.status.clone()))
                on_pick=set(|q, v| q.status = v)
            />
            <FilterSelect
                id="resource-vendor"
                label="Vendor"
                any="Any vendor"
                choices=Signal::derive(move || choices.with(|c| c.vendors.clone()))
                current=Signal::derive(move || query.with(|q| q.vendor.clone()))
                on_pick=set(|q, v| q.vendor = v)
            />
            <FilterSelect
                id="resource-type"
                label="Type"
                any="Any type"
                choices=Signal::derive(move || choices.with(|c| c.types.clone()))
                current=Signal::derive(move || query.with(|q| q.resource_type.clone()))
                on_pick=set(|q, v| q.resource_type = v)
            />
            <div class="field">
                <button type="button" on:click=move |_| on_change.run(ResourceQuery::default())>
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}
