//! The list's filter bar: status, vendor and type. Every change becomes a
//! new query in the URL, so a copied link reproduces the view.

use leptos::prelude::*;
use supply_model::resource_query::{ResourceFilter, ResourceQuery};

/// Choices offered by the current answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ResourceChoices {
    pub(crate) statuses: Vec<String>,
    pub(crate) vendors: Vec<String>,
    pub(crate) types: Vec<String>,
}

fn optional(raw: String) -> Option<String> {
    (!raw.is_empty()).then_some(raw)
}

impl ResourceChoices {
    fn of(&self, which: ResourceFilter) -> &[String] {
        match which {
            ResourceFilter::Status => &self.statuses,
            ResourceFilter::Vendor => &self.vendors,
            ResourceFilter::Type => &self.types,
        }
    }
}

/// A filter's select: its id, its label and its "any" choice.
fn select_text(which: ResourceFilter) -> (&'static str, &'static str, &'static str) {
    match which {
        ResourceFilter::Status => ("resource-status", "Status", "Any status"),
        ResourceFilter::Vendor => ("resource-vendor", "Vendor", "Any vendor"),
        ResourceFilter::Type => ("resource-type", "Type", "Any type"),
    }
}

/// One labelled select; the current value stays a choice even when the
/// answer no longer holds it, so a shared link never silently loses it.
#[component]
fn FilterSelect(
    which: ResourceFilter,
    query: Memo<ResourceQuery>,
    choices: Memo<ResourceChoices>,
    #[prop(into)] on_change: Callback<ResourceQuery>,
) -> impl IntoView {
    let (id, label, any) = select_text(which);
    let current = Memo::new(move |_| query.with(|q| q.filter(which).map(str::to_owned)));
    let options = move || {
        let selected = current.get();
        let mut values = choices.with(|c| c.of(which).to_vec());
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
    let on_pick = move |ev: leptos::ev::Event| {
        let mut next = query.get_untracked();
        next.set_filter(which, optional(event_target_value(&ev)));
        on_change.run(next);
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                prop:value=move || current.get().unwrap_or_default()
                on:change=on_pick
            >
                <option value="" selected=move || current.with(Option::is_none)>{any}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
pub(crate) fn ResourceFilters(
    query: Memo<ResourceQuery>,
    choices: Memo<ResourceChoices>,
    #[prop(into)] on_change: Callback<ResourceQuery>,
) -> impl IntoView {
    let selects = ResourceFilter::ALL
        .map(|which| view! { <FilterSelect which query choices on_change /> })
        .collect_view();
    view! {
        <form class="filters" role="search" aria-label="Filter resources" on:submit=|ev| ev.prevent_default()>
            {selects}
            <div class="field">
                <button type="button" on:click=move |_| on_change.run(ResourceQuery::default())>
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}
