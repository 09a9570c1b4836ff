//! The table an instance's parts are listed in: disks, network interfaces,
//! SSH keys.

use leptos::prelude::*;

/// Scrolls on its own on a narrow screen; `label` names it for assistive
/// technology. The children are its rows.
#[component]
pub(crate) fn PartsTable(
    label: &'static str,
    /// The column headings; `true` marks a numeric column.
    columns: &'static [(&'static str, bool)],
    children: Children,
) -> impl IntoView {
    let headings = columns
        .iter()
        .map(|&(heading, numeric)| {
            view! { <th scope="col" class=numeric.then_some("num")>{heading}</th> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label=label>
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
