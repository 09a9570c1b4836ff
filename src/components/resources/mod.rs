//! Pieces of the resources list and the resource detail page.

pub mod access;
pub mod bulk_delete;
pub mod delete;
pub mod facts;
pub mod list_filters;
pub mod list_table;
pub mod order_resources;
pub mod raw_json;
pub mod related;
pub mod spec;
pub mod sync;

use leptos::prelude::*;

/// A status as the API sent it; `data-status` lets the stylesheet colour
/// the ones it knows, unknown ones stay plain.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<String>) -> impl IntoView {
    view! {
        <span class="badge" data-status=move || status.get().to_ascii_lowercase()>
            {move || status.get()}
        </span>
    }
}
