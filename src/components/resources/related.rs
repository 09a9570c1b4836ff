//! Resources linked to this one and the offers it came from.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::routes::Route;
use supply_model::ResourceSummary;

use super::facts::{field, When};
use super::StatusBadge;
use crate::state::base::at;

#[component]
pub(crate) fn LinkedResources(resource: Memo<Option<ResourceSummary>>) -> impl IntoView {
    let linked = field(resource, |r| r.linked_resources.clone());
    let rows = move || {
        linked
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|l| {
                let href = Route::Resource { resource_id: l.resource_id.clone() }.href();
                let name = l.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| l.resource_id.clone());
                let since = Some(l.linked_since.clone());
                let until = l.linked_until.clone();
                view! {
                    <tr>
                        <td><A href=at(&href)>{name}</A></td>
                        <td>{l.resource_type}</td>
                        <td>{l.link_type}</td>
                        <td><StatusBadge status=l.status /></td>
                        <td><When at=Signal::derive(move || since.clone()) /></td>
                        <td>{match until {
                            Some(until) => view! { <When at=Signal::derive(move || Some(until.clone())) /> }.into_any(),
                            None => "still linked".into_any(),
                        }}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = Signal::derive(move || linked.with(|l| l.as_ref().is_none_or(Vec::is_empty)));
    let columns = &[
        "Name",
        "Type",
        "Link",
        "Status",
        "Linked since",
        "Linked until",
    ];
    view! {
        <TableSection id="linked-title" title="Linked resources" columns empty>
            {rows}
        </TableSection>
    }
}

#[component]
pub(crate) fn OfferHistory(resource: Memo<Option<ResourceSummary>>) -> impl IntoView {
    let history = field(resource, |r| r.offer_history.clone());
    let rows = move || {
        history
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let href = Route::Status {
                    offer_id: o.offer_id.clone(),
                }
                .href();
                let created = Some(o.created_at.clone());
                view! {
                    <tr>
                        <td><A href=at(&href)><code>{o.offer_id}</code></A></td>
                        <td>{o.offer_type}</td>
                        <td>{o.role}</td>
                        <td><When at=Signal::derive(move || created.clone()) /></td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = Signal::derive(move || history.with(|h| h.as_ref().is_none_or(Vec::is_empty)));
    let columns = &["Offer", "Offer type", "Role", "Created"];
    view! {
        <TableSection id="history-title" title="Offer history" columns empty>
            {rows}
        </TableSection>
    }
}

/// A titled section with a table of `columns`, or "None." when `empty`.
#[component]
fn TableSection(
    /// The heading's id, which also names the table.
    id: &'static str,
    title: &'static str,
    columns: &'static [&'static str],
    empty: Signal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let headers = columns
        .iter()
        .map(|&column| view! { <th scope="col">{column}</th> })
        .collect_view();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <Show when=move || !empty.get() fallback=|| view! { <p class="muted">"None."</p> }>
                <div class="table-wrap">
                    <table aria-labelledby=id>
                        <thead>
                            <tr>{headers.clone()}</tr>
                        </thead>
                        <tbody>{children()}</tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
