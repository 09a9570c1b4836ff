//! The offers table. Only the rows in view are in the DOM, so ten thousand
//! offers scroll and filter as fast as fifty. Arrow keys move between rows,
//! Enter opens the focused offer.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use supply_model::decimal::shortest;
use supply_model::offer_query::{Sort, SortKey};
use supply_model::pricing::{format_gb, format_usd};
use supply_model::routes::Route;
use supply_model::row_window::RowWindow;
use supply_model::text::{or_dash, DASH};
use supply_model::time::format_duration_secs;
use supply_model::Offer;
use wasm_bindgen::JsCast;

use crate::components::sort_header::SortHeader;
use crate::state::clock::use_now;
use crate::state::route::link;

/// Fixed row height (CSS keeps rows to it) so positions are arithmetic.
pub(crate) const ROW_HEIGHT: f64 = 38.0;
/// How many offers can be compared at once.
const MAX_COMPARED: usize = 4;
/// Rows drawn beyond each edge of the view (none past either end).
const OVERSCAN: usize = 8;

const COLUMNS: [(&str, SortKey, bool); 13] = [
    ("GPU", SortKey::Gpu, false),
    ("GPUs", SortKey::GpuCount, true),
    ("Vendor", SortKey::Vendor, false),
    ("Region", SortKey::Region, false),
    ("Vendor region", SortKey::VendorRegion, false),
    ("Contract", SortKey::Contract, false),
    ("$/GPU-hour", SortKey::PricePerGpuHour, true),
    ("$/hour", SortKey::TotalHourly, true),
    ("Storage $/h", SortKey::StorageHourly, true),
    ("vCPUs", SortKey::Vcpus, true),
    ("Memory", SortKey::Memory, true),
    ("Boot disk", SortKey::BootDisk, true),
    ("Expires in", SortKey::ExpiresAt, true),
];

#[component]
pub(crate) fn OfferTable(
    offers: Signal<Option<Vec<Offer>>>,
    /// Indices into `offers`, filtered and sorted.
    selected: Memo<Vec<usize>>,
    /// The sort alone, so that typing a filter leaves the headers be.
    sort: Memo<Sort>,
    #[prop(into)] on_sort: Callback<Sort>,
    /// Offer ids picked for comparison.
    compared: RwSignal<Vec<String>>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(640.0_f64);
    let focused = RwSignal::new(0_usize);
    let navigate = use_navigate();
    let now = use_now();
    let container = NodeRef::<leptos::html::Div>::new();
    // The rows drawn follow the container's height, whatever changes it:
    // the window, or the rows themselves (a first empty answer leaves it
    // short). The observer also reports the height it starts with.
    Effect::new(move || {
        if let Some(element) = container.get() {
            follow_height(&element, viewport);
        }
    });

    let window = Memo::new(move |_| {
        let total = selected.with(Vec::len);
        RowWindow::new(
            scroll_top.get(),
            viewport.get(),
            ROW_HEIGHT,
            OVERSCAN,
            total,
        )
    });

    // The id of the offer at `position` in the filtered, sorted list.
    let offer_id_at = move |position: usize| {
        let at = selected.with_untracked(|s| s.get(position).copied())?;
        offers.with_untracked(|o| o.as_ref()?.get(at).map(|o| o.offer_id.clone()))
    };
    // The procure page is opened with the offer as listed, so it can show
    // what the details call does not carry (vendor region, storage,
    // cluster shape) without asking again.
    let keep_offer = move |position: usize| {
        let at = selected.with_untracked(|s| s.get(position).copied());
        let offer = at.and_then(|at| offers.with_untracked(|o| o.as_ref()?.get(at).cloned()));
        if let Some(offer) = offer {
            crate::state::storage::write(
                crate::state::storage::Area::Session,
                &crate::components::procure::offer_lookup::offer_snapshot_key(&offer.offer_id),
                &serde_json::to_string(&offer).unwrap_or_default(),
            );
        }
    };
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
                    if let Some(id) = offer_id_at(current) {
                        keep_offer(current);
                        navigate(
                            &Route::Procure {
                                offer_id: id.clone(),
                            }
                            .href(),
                            Default::default(),
                        );
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
        let direction = Signal::derive(move || {
            let sort = sort.get();
            (sort.key == key).then_some(sort.descending)
        });
        let on_click = Callback::new(move |()| {
            let current = sort.get_untracked();
            // A new column starts ascending; the same one flips.
            let descending = current.key == key && !current.descending;
            on_sort.run(Sort { key, descending });
        });
        view! { <SortHeader label numeric direction on_click /> }
    });

    // The offers in view, formatted. Typing or scrolling changes these; the
    // rows below are redrawn in place from them by one reactive step, so a
    // keystroke rewrites text, not elements, and costs one update, not one
    // per cell.
    let in_view = Memo::new(move |_| {
        let RowWindow { start, end, .. } = window.get();
        selected.with(|s| {
            offers.with(|all| {
                let all = all.as_deref().unwrap_or_default();
                s.get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .zip(start..)
                    .filter_map(|(&at, position)| {
                        all.get(at).map(|offer| RowData::new(position, offer))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let rows = move || {
        let now = now.get();
        let focused = focused.get();
        compared.with(|compared| {
            in_view.with(|rows| {
                rows.iter()
                    .map(|row| offer_row(row, now, focused, compared))
                    .collect_view()
            })
        })
    };
    // Row events are handled here, for all rows, rather than by handlers
    // on each row that a redraw would have to replace.
    let on_focusin = move |ev: leptos::ev::FocusEvent| {
        let position = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|t| t.tag_name() == "TR")
            .and_then(|row| position_of(&row));
        if let Some(position) = position {
            focused.set(position);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let position = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|t| t.closest("a.procure").ok().flatten().is_some())
            .and_then(|t| t.closest("tr[data-pos]").ok().flatten())
            .and_then(|row| position_of(&row));
        if let Some(position) = position {
            keep_offer(position);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let position = input
            .closest("tr[data-pos]")
            .ok()
            .flatten()
            .and_then(|row| position_of(&row));
        let Some(id) = position.and_then(offer_id_at) else {
            return;
        };
        let mut kept = false;
        compared.update(|c| {
            if let Some(at) = c.iter().position(|x| *x == id) {
                c.remove(at);
            } else if c.len() < MAX_COMPARED {
                c.push(id);
                kept = true;
            }
        });
        // The box shows what was kept, even when a fifth was refused.
        input.set_checked(kept);
    };
    // Set through the CSS object model (`style:`), which the content
    // security policy allows, not as a `style` attribute, which it blocks.
    let top_space = move || format!("{}px", shortest(window.get().space_above(ROW_HEIGHT)));
    let bottom_space = move || format!("{}px", shortest(window.get().space_below(ROW_HEIGHT)));

    view! {
        <div
            class="table-wrap table-wrap--scroll"
            node_ref=container
            on:scroll=move |_| {
                if let Some(element) = container.get_untracked() {
                    scroll_top.set(f64::from(element.scroll_top()));
                }
            }
        >
            <table
                aria-label="GPU offers"
                aria-rowcount=move || window.get().total + 1
                on:keydown=on_keydown
                on:focusin=on_focusin
                on:click=on_click
                on:change=on_change
            >
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col"><span class="visually-hidden">"Compare"</span></th>
                        {headers}
                        <th scope="col">"Deployment"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=top_space></tr>
                    {rows}
                    <tr class="spacer" aria-hidden="true" style:height=bottom_space></tr>
                </tbody>
            </table>
        </div>
    }
}

/// A drawn row's place in the filtered list (its `data-pos`).
fn position_of(row: &web_sys::Element) -> Option<usize> {
    row.get_attribute("data-pos")?.parse().ok()
}

/// What one row shows, formatted once per offer in view.
#[derive(Clone, Debug, Default, PartialEq)]
struct RowData {
    /// The row's place in the whole filtered list.
    position: usize,
    id: String,
    gpu: String,
    gpu_count: String,
    vendor: String,
    region: String,
    vendor_region: String,
    contract: String,
    spot: bool,
    per_gpu_hour: String,
    price: String,
    storage_price: String,
    vcpus: String,
    memory: String,
    boot_disk: String,
    deployment: String,
    expires_at: Option<DateTime<Utc>>,
}

impl RowData {
    fn new(position: usize, offer: &Offer) -> Self {
        let gpu_count = match (offer.gpu_count, offer.node_count, offer.gpus_per_node) {
            (Some(total), Some(nodes), Some(per_node)) if offer.is_cluster() => {
                format!("{total} ({nodes} × {per_node})")
            }
            (count, _, _) => or_dash(count),
        };
        // The deployment type as it came, and a cluster's shape.
        let cluster = offer.is_cluster();
        let parts: Vec<String> = [
            offer.deployment_type.clone(),
            offer
                .node_count
                .filter(|_| cluster)
                .map(|n| format!("{n} nodes")),
            offer
                .infiniband_bandwidth_gbps
                .filter(|_| cluster)
                .map(|gbps| format!("IB {} Gb/s", supply_model::yaml::number(gbps))),
            offer
                .cluster_storage_gb
                .filter(|_| cluster)
                .map(|gb| format!("{} shared", format_gb(gb))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let deployment = (!parts.is_empty()).then(|| parts.join(" · "));
        Self {
            position,
            id: offer.offer_id.clone(),
            gpu: offer.gpu_label(),
            gpu_count,
            vendor: or_dash(offer.vendor.as_ref()),
            region: or_dash(offer.region.as_ref()),
            vendor_region: or_dash(offer.vendor_region.as_ref()),
            contract: or_dash(offer.contract_type.as_ref().map(|c| c.label().to_owned())),
            spot: offer.is_spot(),
            per_gpu_hour: or_dash(offer.price_per_gpu_hour().map(format_usd)),
            price: or_dash(offer.total_hourly().map(format_usd)),
            storage_price: or_dash(offer.storage_price_per_hour.map(format_usd)),
            vcpus: or_dash(offer.vcpu_count),
            memory: or_dash(offer.memory_in_gb.map(format_gb)),
            boot_disk: or_dash(offer.boot_disk_in_gb.map(format_gb)),
            deployment: or_dash(deployment),
            expires_at: offer.expires_at.as_ref().and_then(|at| at.parsed()),
        }
    }
}

/// One row as drawn at `now`. Every value is plain data: redrawing the
/// row with another offer compares each value with the last one and
/// writes only what changed.
fn offer_row(
    row: &RowData,
    now: DateTime<Utc>,
    focused: usize,
    compared: &[String],
) -> impl IntoView + use<> {
    let row = row.clone();
    let seconds_left = row.expires_at.map(|at| (at - now).num_seconds());
    let expired = seconds_left.is_some_and(|left| left <= 0);
    let countdown = match seconds_left {
        Some(left) if left > 0 => format_duration_secs(left),
        Some(_) => "Expired".to_owned(),
        None => DASH.to_owned(),
    };
    let is_compared = compared.contains(&row.id);
    let full = !is_compared && compared.len() >= MAX_COMPARED;
    view! {
        <tr
            data-pos=row.position
            aria-rowindex=row.position + 2
            tabindex=if focused == row.position { "0" } else { "-1" }
            class:expired=expired
        >
            <td>
                <input
                    type="checkbox"
                    aria-label=format!("Compare {} from {}", row.gpu, row.vendor)
                    prop:checked=is_compared
                    disabled=full
                />
            </td>
            <td>{row.gpu.clone()}</td>
            <td class="num">{row.gpu_count}</td>
            <td>{row.vendor.clone()}</td>
            <td>{row.region}</td>
            <td>{row.vendor_region}</td>
            <td class:spot=row.spot>{row.contract}</td>
            <td class="num">{row.per_gpu_hour}</td>
            <td class="num">{row.price}</td>
            <td class="num">{row.storage_price}</td>
            <td class="num">{row.vcpus}</td>
            <td class="num">{row.memory}</td>
            <td class="num">{row.boot_disk}</td>
            <td class="num">{countdown}</td>
            <td>{row.deployment}</td>
            <td>
                // Hidden by CSS once the row is marked expired.
                <a
                    class="procure"
                    href=link(&Route::Procure { offer_id: row.id.clone() })
                    aria-label=format!("Procure {} from {}", row.gpu, row.vendor)
                    tabindex="-1"
                >
                    "Procure"
                </a>
            </td>
        </tr>
    }
}

/// Keeps `height` at `element`'s client height until the owner is gone.
fn follow_height(element: &web_sys::HtmlDivElement, height: RwSignal<f64>) {
    let measured = element.clone();
    let on_resize = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        height.try_set(f64::from(measured.client_height()));
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(element);
    let kept = StoredValue::new_local(Some((observer, on_resize)));
    on_cleanup(move || {
        if let Some((observer, _)) = kept.try_update_value(Option::take).flatten() {
            observer.disconnect();
        }
    });
}
