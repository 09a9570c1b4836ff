use leptos::prelude::*;

/// A sortable column's header: a button that says the column's order to
/// assistive technology (`aria-sort`) and with an arrow.
#[component]
pub(crate) fn SortHeader(
    label: &'static str,
    numeric: bool,
    /// `Some(descending)` while the table is sorted by this column.
    #[prop(into)]
    direction: Signal<Option<bool>>,
    on_click: Callback<()>,
) -> impl IntoView {
    let state = move || match direction.get() {
        Some(false) => "ascending",
        Some(true) => "descending",
        None => "none",
    };
    view! {
        <th scope="col" class:num=numeric aria-sort=state>
            <button type="button" class="sort" on:click=move |_| on_click.run(())>
                {label}
                <span aria-hidden="true" class="sort-mark">
                    {move || match state() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}
                </span>
            </button>
        </th>
    }
}
