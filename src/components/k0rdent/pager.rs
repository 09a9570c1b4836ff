//! Moving through a k0rdent list a page at a time (the API's
//! `nextPageToken`), and choosing how long its pages are.

use leptos::prelude::*;
use supply_model::k0rdent_list::{Position, PAGE_SIZES};

/// Previous and next page (and the first, when `first` names it), with the
/// page number between them.
#[component]
pub(crate) fn Pager(
    /// Names the navigation landmark.
    label: &'static str,
    position: Signal<Position>,
    /// The next page's token; none on the last page.
    next: Signal<Option<String>>,
    /// The first page button's text; no such button without it.
    #[prop(optional)]
    first: Option<&'static str>,
    previous: &'static str,
    next_label: &'static str,
    #[prop(into)] on_move: Callback<Position>,
) -> impl IntoView {
    let at_start = move || !position.with(Position::has_previous);
    let first = first.map(|text| {
        view! {
            <button type="button" disabled=at_start on:click=move |_| on_move.run(position.get_untracked().first())>
                {text}
            </button>
        }
    });
    view! {
        <nav class="pager" aria-label=label>
            {first}
            <button type="button" disabled=at_start on:click=move |_| on_move.run(position.get_untracked().previous())>
                {previous}
            </button>
            <span>{move || format!("Page {}", position.with(Position::page_number))}</span>
            <button
                type="button"
                disabled=move || next.with(Option::is_none)
                on:click=move |_| {
                    if let Some(token) = next.get_untracked() {
                        on_move.run(position.get_untracked().next(&token));
                    }
                }
            >
                {next_label}
            </button>
        </nav>
    }
}

/// How many items a page holds, among the sizes the API takes.
#[component]
pub(crate) fn PageSizeSelect(
    id: &'static str,
    label: &'static str,
    position: Signal<Position>,
    #[prop(into)] on_move: Callback<Position>,
) -> impl IntoView {
    let options = PAGE_SIZES
        .map(|size| {
            view! {
                <option value=size.to_string() selected=move || position.with(|p| p.page_size == size)>
                    {size.to_string()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                on:change=move |ev| {
                    let size = event_target_value(&ev).parse().unwrap_or_default();
                    on_move.run(position.get_untracked().with_size(size));
                }
            >
                {options}
            </select>
        </div>
    }
}
