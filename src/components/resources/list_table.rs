//! The resources table: sortable columns, each row linking to its detail.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::pricing::format_usd;
use supply_model::resource_query::{ResourceQuery, ResourceSort, ResourceSortKey};
use supply_model::time::relative_to;
use supply_model::ResourceSummary;

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
pub fn ResourceTable(
    resources: Signal<Option<Vec<ResourceSummary>>>,
    /// Indices into `resources`, filtered and sorted.
    selected: Memo<Vec<usize>>,
    query: Memo<ResourceQuery>,
    #[prop(into)] on_sort: Callback<ResourceSort>,
    /// The total of the rows shown, already formatted.
    #[prop(into)]
    total: Signal<String>,
) -> impl IntoView {
    let now = use_now();
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
        view! { <SortHeader label numeric direction on_click /> }
    });
    let rows = move || {
        let shown: Vec<ResourceSummary> = resources.with(|data| {
            let data = data.as_deref().unwrap_or_default();
            selected.with(|s| s.iter().filter_map(|&at| data.get(at).cloned()).collect())
        });
        shown
            .into_iter()
            .map(|r| {
                let href = format!("/resources/{}", r.resource_id);
                let name = r.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| r.resource_id.clone());
                let price = r.pricing_total_hourly.map_or_else(|| "—".to_owned(), format_usd);
                let created_raw = r.created_at.0.clone();
                let created_text = created_raw.clone();
                let created = r.created_at.parsed();
                view! {
                    <tr>
                        <td><A href=at(&href)>{name}</A></td>
                        <td>{r.resource_type}</td>
                        <td>{r.vendor}</td>
                        <td>{r.vendor_region}</td>
                        <td><StatusBadge status=r.status /></td>
                        <td class="num">{price}</td>
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
                <thead><tr>{headers}</tr></thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="5">"Total of the resources shown"</th>
                        <td class="num total-hourly">{move || total.get()}</td>
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
