//! The spread of $/GPU-hour per GPU type, drawn as box plots in SVG.
//! Clicking (or Enter on) a row filters the table by that GPU type.

use leptos::prelude::*;
use supply_model::offer_insights::PriceSpread;
use supply_model::pricing::format_usd;

const ROW: f64 = 26.0;
const LABEL: f64 = 90.0;
const WIDTH: f64 = 560.0;

#[component]
pub fn PriceChart(
    spreads: Signal<Vec<PriceSpread>>,
    #[prop(into)] on_pick: Callback<String>,
) -> impl IntoView {
    move || {
        let spreads = spreads.get();
        let high = spreads
            .iter()
            .map(|s| s.max)
            .fold(0.0_f64, f64::max)
            .max(0.01);
        let x = move |price: f64| LABEL + (WIDTH - LABEL - 10.0) * price / high;
        let height = ROW * spreads.len() as f64 + 24.0;
        let rows = spreads
            .into_iter()
            .enumerate()
            .map(|(at, spread)| {
                let y = ROW * at as f64 + 6.0;
                let mid = y + ROW / 2.0 - 3.0;
                let gpu = spread.gpu_type.clone();
                let label = format!(
                    "{}: {} offers, {} to {} per GPU-hour, median {}. Filter by {}",
                    spread.gpu_type,
                    spread.offers,
                    format_usd(spread.min),
                    format_usd(spread.max),
                    format_usd(spread.median),
                    spread.gpu_type
                );
                let pick = {
                    let gpu = gpu.clone();
                    move || on_pick.run(gpu.clone())
                };
                let pick_key = pick.clone();
                view! {
                    <g
                        class="spread"
                        role="button"
                        tabindex="0"
                        aria-label=label
                        on:click=move |_| pick()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                pick_key();
                            }
                        }
                    >
                        // The whole row takes the pointer, not just the strokes.
                        <rect x="0" y=y width=WIDTH height=ROW class="hit" />
                        <text x="0" y=mid + 4.0>{spread.gpu_type}</text>
                        <line x1=x(spread.min) x2=x(spread.max) y1=mid y2=mid class="whisker" />
                        <rect
                            x=x(spread.q1)
                            y=mid - 7.0
                            width=(x(spread.q3) - x(spread.q1)).max(2.0)
                            height="14"
                            class="box"
                        />
                        <line x1=x(spread.median) x2=x(spread.median) y1=mid - 8.0 y2=mid + 8.0 class="median" />
                    </g>
                }
            })
            .collect_view();
        view! {
            <figure class="price-chart">
                <figcaption>"$/GPU-hour by GPU type (box: middle half, tick: median). Pick one to filter."</figcaption>
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="group" aria-label="Price spread per GPU type">
                    {rows}
                    <text x=LABEL y=height - 4.0 class="axis">"$0"</text>
                    <text x=WIDTH - 60.0 y=height - 4.0 class="axis">{format_usd(high)}</text>
                </svg>
            </figure>
        }
    }
}
