//! The offers table. Only the rows in view are in the DOM, so ten thousand
//! offers scroll and filter as fast as fifty. Arrow keys move between rows,
//! Enter opens the focused offer.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use supply_model::offer_query::{OfferQuery, Sort, SortKey};
use supply_model::pricing::{format_gb, format_usd};
use supply_model::time::format_duration_secs;
use supply_model::Offer;
use wasm_bindgen::JsCast;

use crate::state::clock::use_now;

/// Fixed row height (CSS keeps rows to it) so positions are arithmetic.
pub const ROW_HEIGHT: f64 = 38.0;
/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 8;

const COLUMNS: [(&str, SortKey, bool); 13] = [
    ("GPU", SortKey::GpuType, false),
    ("GPUs", SortKey::GpuCount, true),
    ("GPU memory", SortKey::GpuMemory, true),
    ("Vendor", SortKey::Vendor, false),
    ("Region", SortKey::Region, false),
    ("Type", SortKey::OfferType, false),
    ("vCPUs", SortKey::Vcpus, true),
    ("Memory", SortKey::Memory, true),
    ("Storage", SortKey::Storage, true),
    ("$/hour", SortKey::PriceHourly, true),
    ("$/GPU-hour", SortKey::PricePerGpuHour, true),
    ("Available", SortKey::Available, false),
    ("Expires in", SortKey::ExpiresAt, true),
];

fn dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

#[component]
pub fn OfferTable(
    offers: Signal<Option<Vec<Offer>>>,
    /// Indices into `offers`, filtered and sorted.
    selected: Memo<Vec<usize>>,
    query: Memo<OfferQuery>,
    #[prop(into)] on_sort: Callback<Sort>,
    /// Offer ids picked for comparison.
    compared: RwSignal<Vec<String>>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(640.0_f64);
    let focused = RwSignal::new(0_usize);
    let navigate = use_navigate();
    let container = NodeRef::<leptos::html::Div>::new();

    let window = Memo::new(move |_| {
        let total = selected.with(Vec::len);
        let first = (scroll_top.get() / ROW_HEIGHT) as usize;
        let start = first.saturating_sub(OVERSCAN).min(total);
        let shown = (viewport.get() / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        (start, (start + shown).min(total), total)
    });

    let focus_row = move |position: usize| {
        focused.set(position);
        let Some(element) = container.get_untracked() else {
            return;
        };
        let top = position as f64 * ROW_HEIGHT;
        let height = f64::from(element.client_height()) - ROW_HEIGHT;
        let current = f64::from(element.scroll_top());
        if top < current {
            element.set_scroll_top(top as i32);
        } else if top > current + height - ROW_HEIGHT {
            element.set_scroll_top((top - height + ROW_HEIGHT) as i32);
        }
        // The row exists once the window re-renders; focus it then.
        request_animation_frame(move || {
            if let Some(element) = container.get_untracked() {
                let row = element
                    .query_selector(&format!("tr[data-pos='{position}']"))
                    .ok()
                    .flatten();
                if let Some(row) = row.and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = row.focus();
                }
            }
        });
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let total = selected.with(Vec::len);
        if total == 0 {
            return;
        }
        let current = focused.get_untracked().min(total - 1);
        let page = (viewport.get_untracked() / ROW_HEIGHT) as usize;
        let next = match ev.key().as_str() {
            "ArrowDown" => current.saturating_add(1).min(total - 1),
            "ArrowUp" => current.saturating_sub(1),
            "PageDown" => current.saturating_add(page).min(total - 1),
            "PageUp" => current.saturating_sub(page),
            "Home" => 0,
            "End" => total - 1,
            "Enter" => {
                let target: Option<web_sys::Element> = ev.target().and_then(|t| t.dyn_into().ok());
                if target.is_some_and(|t| t.tag_name() == "TR") {
                    let id = selected.with(|s| s.get(current).copied()).and_then(|at| {
                        offers.with(|o| {
                            o.as_ref()
                                .and_then(|o| o.get(at))
                                .map(|o| o.offer_id.clone())
                        })
                    });
                    if let Some(id) = id {
                        navigate(&format!("/offers/{id}/procure"), Default::default());
                    }
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        focus_row(next);
    };

    let headers = COLUMNS.map(|(label, key, numeric)| {
        let state = move || {
            query.with(|q| match (q.sort.key == key, q.sort.descending) {
                (true, false) => "ascending",
                (true, true) => "descending",
                _ => "none",
            })
        };
        let click = move |_| {
            let current = query.get_untracked().sort;
            let descending = current.key == key && !current.descending;
            on_sort.run(Sort { key, descending });
        };
        view! {
            <th scope="col" class:num=numeric aria-sort=state>
                <button type="button" class="sort" on:click=click>
                    {label}
                    <span aria-hidden="true" class="sort-mark">
                        {move || match state() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}
                    </span>
                </button>
            </th>
        }
    });

    let rows = move || {
        let (start, end, _) = window.get();
        let picked: Vec<usize> =
            selected.with(|s| s.get(start..end).map(<[usize]>::to_vec).unwrap_or_default());
        offers.with(|all| {
            let Some(all) = all else { return Vec::new() };
            picked
                .iter()
                .enumerate()
                .filter_map(|(offset, &at)| Some((start + offset, all.get(at)?.clone())))
                .map(|(position, offer)| view! { <OfferRow offer position focused compared /> })
                .collect::<Vec<_>>()
        })
    };
    let top_space = move || format!("height: {}px", window.get().0 as f64 * ROW_HEIGHT);
    let bottom_space = move || {
        let (_, end, total) = window.get();
        format!("height: {}px", (total - end) as f64 * ROW_HEIGHT)
    };

    view! {
        <div
            class="table-wrap table-wrap--scroll"
            node_ref=container
            on:scroll=move |_| {
                if let Some(element) = container.get_untracked() {
                    scroll_top.set(f64::from(element.scroll_top()));
                    viewport.set(f64::from(element.client_height()));
                }
            }
        >
            <table aria-label="GPU offers" aria-rowcount=move || window.get().2 + 1 on:keydown=on_keydown>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col"><span class="visually-hidden">"Compare"</span></th>
                        {headers}
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style=top_space></tr>
                    {rows}
                    <tr class="spacer" aria-hidden="true" style=bottom_space></tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OfferRow(
    offer: Offer,
    position: usize,
    focused: RwSignal<usize>,
    compared: RwSignal<Vec<String>>,
) -> impl IntoView {
    let now = use_now();
    let seconds_left = {
        let offer = offer.clone();
        Memo::new(move |_| offer.seconds_left(now.get()))
    };
    let expired = move || seconds_left.get().is_some_and(|left| left <= 0);
    let id = offer.offer_id.clone();
    let gpu = offer
        .gpu_type
        .clone()
        .unwrap_or_else(|| "Unknown GPU".into());
    let vendor = offer.vendor.clone().unwrap_or_default();
    let kind = offer
        .offer_type
        .as_ref()
        .map(|kind| match offer.node_count {
            Some(nodes) => format!("{} · {nodes} nodes", kind.label()),
            None => kind.label().to_owned(),
        });
    let is_compared = {
        let id = id.clone();
        move || compared.with(|c| c.contains(&id))
    };
    let toggle_compare = {
        let id = id.clone();
        move |_| {
            compared.update(|c| {
                if let Some(at) = c.iter().position(|x| *x == id) {
                    c.remove(at);
                } else if c.len() < 4 {
                    c.push(id.clone());
                }
            })
        }
    };
    let full = {
        let is_compared = is_compared.clone();
        move || !is_compared() && compared.with(|c| c.len() >= 4)
    };
    let per_gpu_hour = offer.price_per_gpu_hour();
    let checkbox_id = format!("compare-{id}");
    let compare_label = format!("Compare {gpu} from {vendor}");
    let procure_label = format!("Procure {gpu} from {vendor}");
    let procure_href = format!("/offers/{id}/procure");
    view! {
        <tr
            data-pos=position
            aria-rowindex=position + 2
            tabindex=move || if focused.get() == position { "0" } else { "-1" }
            on:focus=move |_| focused.set(position)
            class:expired=expired
        >
            <td>
                <input
                    type="checkbox"
                    id=checkbox_id
                    aria-label=compare_label
                    prop:checked=is_compared
                    disabled=full
                    on:change=toggle_compare
                />
            </td>
            <td>{gpu}</td>
            <td class="num">{dash(offer.gpu_count)}</td>
            <td class="num">{dash(offer.gpu_memory_gb.map(format_gb))}</td>
            <td>{dash(offer.vendor)}</td>
            <td>{dash(offer.vendor_region)}</td>
            <td>{dash(kind)}</td>
            <td class="num">{dash(offer.vcpus)}</td>
            <td class="num">{dash(offer.memory_gb.map(format_gb))}</td>
            <td class="num">{dash(offer.storage_gb.map(format_gb))}</td>
            <td class="num">{dash(offer.pricing_hourly.map(format_usd))}</td>
            <td class="num">{dash(per_gpu_hour.map(format_usd))}</td>
            <td>{match offer.available { Some(true) => "Yes", Some(false) => "No", None => "—" }}</td>
            <td class="num">
                {move || match seconds_left.get() {
                    Some(left) if left > 0 => format_duration_secs(left),
                    Some(_) => "Expired".to_owned(),
                    None => "—".to_owned(),
                }}
            </td>
            <td>
                {move || (!expired()).then(|| view! {
                    <A href=procure_href.clone() attr:aria-label=procure_label.clone() attr:tabindex="-1">"Procure"</A>
                })}
            </td>
        </tr>
    }
}
