//! Pieces of the resources list and the resource detail page.

pub(crate) mod access;
pub(crate) mod bulk_delete;
pub(crate) mod delete;
pub(crate) mod facts;
pub(crate) mod list_filters;
pub(crate) mod list_table;
pub(crate) mod order_resources;
pub(crate) mod raw_json;
pub(crate) mod related;
pub(crate) mod spec;
pub(crate) mod sync;

use leptos::prelude::*;

/// A status as the API sent it; `data-status` lets the stylesheet colour
/// the ones it knows, unknown ones stay plain.
#[component]
pub(crate) fn StatusBadge(#[prop(into)] status: Signal<String>) -> impl IntoView {
    view! {
        <span class="badge" data-status=move || status.get().to_ascii_lowercase()>
            {move || status.get()}
        </span>
    }
}
