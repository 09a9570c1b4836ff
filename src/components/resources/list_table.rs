//! The resources table: sortable columns, each row linking to its detail.

use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::BTreeSet;

use supply_model::connection::format_accrued;
use supply_model::deletion::{cost_so_far, is_persistent_volume, Lifecycle};
use supply_model::pricing::format_usd;
use supply_model::resource_query::{ResourceQuery, ResourceSort, ResourceSortKey};
use supply_model::routes::Route;
use supply_model::text::or_dash;
use supply_model::time::relative_to;
use supply_model::ResourceSummary;

use super::bulk_delete::PickBox;
use super::StatusBadge;
use crate::components::sort_header::SortHeader;
use crate::state::base::at;
use crate::state::clock::use_now;

const COLUMNS: [(&str, ResourceSortKey, bool); 7] = [
    ("Name", ResourceSortKey::Name, false),
    ("Type", ResourceSortKey::Type, false),
    ("Vendor", ResourceSortKey::Vendor, false),
    ("Region", ResourceSortKey::Region, false),
    ("Status", ResourceSortKey::Status, false),
    ("$/hour", ResourceSortKey::PriceHourly, true),
    ("Created", ResourceSortKey::CreatedAt, true),
];

#[component]
pub(crate) fn ResourceTable(
    resources: Signal<Option<Vec<ResourceSummary>>>,
    /// Indices into `resources`, filtered and sorted.
    selected: Memo<Vec<usize>>,
    query: Memo<ResourceQuery>,
    #[prop(into)] on_sort: Callback<ResourceSort>,
    /// The total of the rows shown, already formatted.
    #[prop(into)]
    total: Signal<String>,
    /// The ids ticked for a bulk delete.
    picked: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let now = use_now();
    let shown_ids = move || {
        resources.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            selected.with(|s| {
                s.iter()
                    .filter_map(|&at| data.get(at))
                    .filter(|r| !Lifecycle::of(&r.status).is_ending())
                    .map(|r| r.resource_id.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let all_picked = move || {
        let ids = shown_ids();
        !ids.is_empty() && picked.with(|p| ids.iter().all(|id| p.contains(id)))
    };
    let pick_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let ids = shown_ids();
        picked.update(|p| {
            for id in ids {
                if on {
                    p.insert(id);
                } else {
                    p.remove(&id);
                }
            }
        });
    };
    let cost_total = move || {
        let now = now.get();
        resources.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            let sum: f64 = selected.with(|s| {
                s.iter()
                    .filter_map(|&at| data.get(at))
                    .filter_map(|r| cost_so_far(r, None, now))
                    .map(|c| c.amount)
                    .sum()
            });
            format_accrued(sum)
        })
    };
    let headers = COLUMNS.map(|(label, key, numeric)| {
        let direction = Signal::derive(move || {
            query.with(|q| (q.sort.key == key).then_some(q.sort.descending))
        });
        let on_click = Callback::new(move |()| {
            let current = query.get_untracked().sort;
            // A new column starts ascending; the same one flips.
            let descending = current.key == key && !current.descending;
            on_sort.run(ResourceSort { key, descending });
        });
        view! { <SortHeader label numeric direction on_click /> }.into_any()
    });
    // What each has cost is live, not a stored field: not sortable.
    let mut headers = Vec::from(headers);
    headers.insert(
        6,
        view! { <th scope="col" class="num">"Cost so far"</th> }.into_any(),
    );
    let rows = move || {
        let shown: Vec<ResourceSummary> = resources.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            selected.with(|s| s.iter().filter_map(|&at| data.get(at).cloned()).collect())
        });
        shown
            .into_iter()
            .map(|r| {
                let href = Route::Resource { resource_id: r.resource_id.clone() }.href();
                let name = r.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| r.resource_id.clone());
                let price = or_dash(r.pricing_total_hourly.map(format_usd));
                let created_raw = r.created_at.0.clone();
                let created_text = created_raw.clone();
                let created = r.created_at.parsed();
                let id = r.resource_id.clone();
                let ending = Lifecycle::of(&r.status).is_ending();
                let for_cost = r.clone();
                let volume = is_persistent_volume(&r);
                let cost = move || {
                    or_dash(cost_so_far(&for_cost, None, now.get()).map(|c| format_accrued(c.amount)))
                };
                view! {
                    <tr>
                        <td class="pick"><PickBox resource_id=id name=name.clone() ending picked /></td>
                        <td><A href=at(&href)>{name}</A></td>
                        <td>
                            {r.resource_type.clone()}
                            {volume.then_some(view! { <span class="muted">" · persistent volume"</span> })}
                        </td>
                        <td>{r.vendor}</td>
                        <td>{r.vendor_region}</td>
                        <td><StatusBadge status=r.status /></td>
                        <td class="num">{price}</td>
                        <td class="num cost-so-far">{cost}</td>
                        <td class="num">
                            <time datetime=created_raw.clone() title=created_raw.clone()>
                                {move || created.map(|at| relative_to(at, now.get())).unwrap_or_else(|| created_text.clone())}
                            </time>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table aria-label="Resources">
                <thead>
                    <tr>
                        <th scope="col" class="pick">
                            <input
                                type="checkbox"
                                aria-label="Select every resource shown"
                                prop:checked=all_picked
                                on:change=pick_all
                            />
                        </th>
                        {headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="6">"Total of the resources shown"</th>
                        <td class="num total-hourly">{move || total.get()}</td>
                        <td class="num total-cost">{cost_total}</td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
