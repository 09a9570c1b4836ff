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

use crate::components::sort_header::SortHeader;
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
        let direction = Signal::derive(move || {
            query.with(|q| (q.sort.key == key).then_some(q.sort.descending))
        });
        let on_click = Callback::new(move |()| {
            let current = query.get_untracked().sort;
            // A new column starts ascending; the same one flips.
            let descending = current.key == key && !current.descending;
            on_sort.run(Sort { key, descending });
        });
        view! { <SortHeader label numeric direction on_click /> }
    });

    // Rows are fixed slots whose text follows the offers in view: a
    // keystroke or a scroll rewrites text, not elements.
    let visible = Memo::new(move |_| {
        let (start, end, _) = window.get();
        selected.with(|s| {
            s.get(start..end)
                .map(|ids| {
                    ids.iter()
                        .enumerate()
                        .map(|(offset, &at)| (start + offset, at))
                        .collect()
                })
                .unwrap_or_else(Vec::new)
        })
    });
    let slot_count = Memo::new(move |_| visible.with(Vec::len));
    let rows = move || {
        (0..slot_count.get())
            .map(|place| view! { <OfferSlot place visible offers focused compared /> })
            .collect_view()
    };
    // Set through the CSS object model (`style:`), which the content
    // security policy allows, not as a `style` attribute, which it blocks.
    let top_space = move || format!("{}px", window.get().0 as f64 * ROW_HEIGHT);
    let bottom_space = move || {
        let (_, end, total) = window.get();
        format!("{}px", (total - end) as f64 * ROW_HEIGHT)
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
                    <tr class="spacer" aria-hidden="true" style:height=top_space></tr>
                    {rows}
                    <tr class="spacer" aria-hidden="true" style:height=bottom_space></tr>
                </tbody>
            </table>
        </div>
    }
}

/// What one row shows, formatted once per offer shown.
#[derive(Clone, Debug, Default, PartialEq)]
struct RowData {
    position: usize,
    id: String,
    gpu: String,
    gpu_count: String,
    gpu_memory: String,
    vendor: String,
    region: String,
    kind: String,
    vcpus: String,
    memory: String,
    storage: String,
    price: String,
    per_gpu_hour: String,
    available: &'static str,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl RowData {
    fn new(position: usize, offer: &Offer) -> Self {
        let kind = offer
            .offer_type
            .as_ref()
            .map(|kind| match offer.node_count {
                Some(nodes) => format!("{} · {nodes} nodes", kind.label()),
                None => kind.label().to_owned(),
            });
        Self {
            position,
            id: offer.offer_id.clone(),
            gpu: offer
                .gpu_type
                .clone()
                .unwrap_or_else(|| "Unknown GPU".into()),
            gpu_count: dash(offer.gpu_count),
            gpu_memory: dash(offer.gpu_memory_gb.map(format_gb)),
            vendor: dash(offer.vendor.as_ref()),
            region: dash(offer.vendor_region.as_ref()),
            kind: dash(kind),
            vcpus: dash(offer.vcpus),
            memory: dash(offer.memory_gb.map(format_gb)),
            storage: dash(offer.storage_gb.map(format_gb)),
            price: dash(offer.pricing_hourly.map(format_usd)),
            per_gpu_hour: dash(offer.price_per_gpu_hour().map(format_usd)),
            available: match offer.available {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "—",
            },
            expires_at: offer.expires_at.as_ref().and_then(|at| at.parsed()),
        }
    }
}

#[component]
fn OfferSlot(
    /// Which of the rows in view this slot shows.
    place: usize,
    visible: Memo<Vec<(usize, usize)>>,
    offers: Signal<Option<Vec<Offer>>>,
    focused: RwSignal<usize>,
    compared: RwSignal<Vec<String>>,
) -> impl IntoView {
    let now = use_now();
    let row = Memo::new(move |_| {
        let (position, at) = visible.with(|v| v.get(place).copied())?;
        offers.with(|all| {
            all.as_ref()?
                .get(at)
                .map(|offer| RowData::new(position, offer))
        })
    });
    let text = move |field: fn(&RowData) -> String| {
        move || row.with(|r| r.as_ref().map(field).unwrap_or_default())
    };
    let position = move || row.with(|r| r.as_ref().map_or(0, |r| r.position));
    let seconds_left = Memo::new(move |_| {
        let expires = row.with(|r| r.as_ref().and_then(|r| r.expires_at))?;
        Some((expires - now.get()).num_seconds())
    });
    let expired = move || seconds_left.get().is_some_and(|left| left <= 0);
    let id = move || row.with(|r| r.as_ref().map(|r| r.id.clone()).unwrap_or_default());
    let is_compared = move || {
        let id = id();
        compared.with(|c| c.contains(&id))
    };
    let toggle_compare = move |_| {
        let id = id();
        compared.update(|c| {
            if let Some(at) = c.iter().position(|x| *x == id) {
                c.remove(at);
            } else if c.len() < 4 {
                c.push(id);
            }
        })
    };
    let full = move || !is_compared() && compared.with(|c| c.len() >= 4);
    let compare_label = text(|r| format!("Compare {} from {}", r.gpu, r.vendor));
    let procure_label = text(|r| format!("Procure {} from {}", r.gpu, r.vendor));
    let procure_href = text(|r| format!("/offers/{}/procure", r.id));
    view! {
        <tr
            data-pos=position
            aria-rowindex=move || position() + 2
            tabindex=move || if focused.get() == position() { "0" } else { "-1" }
            on:focus=move |_| focused.set(position())
            class:expired=expired
        >
            <td>
                <input
                    type="checkbox"
                    aria-label=compare_label
                    prop:checked=is_compared
                    disabled=full
                    on:change=toggle_compare
                />
            </td>
            <td>{text(|r| r.gpu.clone())}</td>
            <td class="num">{text(|r| r.gpu_count.clone())}</td>
            <td class="num">{text(|r| r.gpu_memory.clone())}</td>
            <td>{text(|r| r.vendor.clone())}</td>
            <td>{text(|r| r.region.clone())}</td>
            <td>{text(|r| r.kind.clone())}</td>
            <td class="num">{text(|r| r.vcpus.clone())}</td>
            <td class="num">{text(|r| r.memory.clone())}</td>
            <td class="num">{text(|r| r.storage.clone())}</td>
            <td class="num">{text(|r| r.price.clone())}</td>
            <td class="num">{text(|r| r.per_gpu_hour.clone())}</td>
            <td>{text(|r| r.available.to_owned())}</td>
            <td class="num">
                {move || match seconds_left.get() {
                    Some(left) if left > 0 => format_duration_secs(left),
                    Some(_) => "Expired".to_owned(),
                    None => "—".to_owned(),
                }}
            </td>
            <td>
                <A
                    href=procure_href
                    attr:aria-label=procure_label
                    attr:tabindex="-1"
                    attr:hidden=move || expired().then_some("")
                >
                    "Procure"
                </A>
            </td>
        </tr>
    }
}
