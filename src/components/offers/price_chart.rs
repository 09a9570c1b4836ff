//! The spread of $/GPU-hour per GPU type, drawn as box plots in SVG.
//! Clicking (or Enter on) a row filters the table by that GPU type.

use leptos::prelude::*;
use supply_model::decimal::fixed;
use supply_model::offer_insights::PriceSpread;
use supply_model::pricing::format_usd;
use wasm_bindgen::JsCast;

const ROW: f64 = 26.0;
const LABEL: f64 = 90.0;
const WIDTH: f64 = 560.0;

/// A coordinate as SVG text, to a tenth of a pixel.
fn svg_number(coordinate: f64) -> String {
    fixed(coordinate, 1)
}

/// The GPU type of the chart row an event came from.
fn picked_gpu(ev: &web_sys::Event) -> Option<String> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("g.spread")
        .ok()??
        .get_attribute("data-gpu")
}

#[component]
pub(crate) fn PriceChart(
    spreads: Signal<Vec<PriceSpread>>,
    #[prop(into)] on_pick: Callback<String>,
) -> impl IntoView {
    // The rows are redrawn as the filters change; their events are handled
    // once, on the chart, rather than by handlers each redraw replaces.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(gpu) = picked_gpu(&ev) {
            on_pick.run(gpu);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            if let Some(gpu) = picked_gpu(&ev) {
                ev.prevent_default();
                on_pick.run(gpu);
            }
        }
    };
    let high = Memo::new(move |_| {
        spreads.with(|spreads| {
            spreads
                .iter()
                .map(|s| s.max)
                .fold(0.0_f64, f64::max)
                .max(0.01)
        })
    });
    let height = Memo::new(move |_| ROW * spreads.with(Vec::len) as f64 + 24.0);
    let rows = move || {
        let high = high.get();
        let x = move |price: f64| LABEL + (WIDTH - LABEL - 10.0) * price / high;
        spreads
            .get()
            .into_iter()
            .enumerate()
            .map(|(at, spread)| {
                let y = ROW * at as f64 + 6.0;
                let mid = y + ROW / 2.0 - 3.0;
                let label = format!(
                    "{}: {} offers, {} to {} per GPU-hour, median {}. Filter by {}",
                    spread.gpu_type,
                    spread.offers,
                    format_usd(spread.min),
                    format_usd(spread.max),
                    format_usd(spread.median),
                    spread.gpu_type
                );
                let gpu = spread.gpu_type.clone();
                view! {
                    <g class="spread" role="button" tabindex="0" aria-label=label data-gpu=gpu>
                        // The whole row takes the pointer, not just the strokes.
                        <rect x="0" y=svg_number(y) width=svg_number(WIDTH) height=svg_number(ROW) class="hit" />
                        <text x="0" y=svg_number(mid + 4.0)>{spread.gpu_type}</text>
                        <line x1=svg_number(x(spread.min)) x2=svg_number(x(spread.max)) y1=svg_number(mid) y2=svg_number(mid) class="whisker" />
                        <rect
                            x=svg_number(x(spread.q1))
                            y=svg_number(mid - 7.0)
                            width=svg_number((x(spread.q3) - x(spread.q1)).max(2.0))
                            height="14"
                            class="box"
                        />
                        <line x1=svg_number(x(spread.median)) x2=svg_number(x(spread.median)) y1=svg_number(mid - 8.0) y2=svg_number(mid + 8.0) class="median" />
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="price-chart">
            <figcaption>"$/GPU-hour by GPU type (box: middle half, tick: median). Pick one to filter."</figcaption>
            <svg
                viewBox=move || format!("0 0 {} {}", svg_number(WIDTH), svg_number(height.get()))
                role="group"
                aria-label="Price spread per GPU type"
                on:click=on_click
                on:keydown=on_keydown
            >
                {rows}
                // Numbers as text, by svg_number: an f64 attribute would
                // bring core's float formatter into the page.
                <text x=svg_number(LABEL) y=move || svg_number(height.get() - 4.0) class="axis">"$0"</text>
                <text x=svg_number(WIDTH - 60.0) y=move || svg_number(height.get() - 4.0) class="axis">{move || format_usd(high.get())}</text>
            </svg>
        </figure>
    }
}
