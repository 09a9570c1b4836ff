//! The cost before buying: per hour (`total_price_per_hour`, storage
//! included), per GPU-hour, and for a duration the person picks or types.

use leptos::prelude::*;
use supply_model::pricing::format_usd;
use supply_model::procure_form::{cost_for_hours, parse_hours, PRESET_HOURS};
use supply_model::Offer;

#[component]
pub(crate) fn CostEstimate(
    #[prop(into)] offer: Signal<Offer>,
    /// Hours as typed; kept in the draft.
    hours: RwSignal<String>,
) -> impl IntoView {
    let parsed = Memo::new(move |_| hours.with(|h| parse_hours(h)));
    let total = move || {
        let hourly = offer.with(Offer::total_hourly);
        match (hourly, parsed.get()) {
            (Some(hourly), Ok(h)) => cost_for_hours(hourly, h),
            (None, _) => "The offer has no price.".into(),
            (_, Err(problem)) => problem,
        }
    };
    view! {
        <fieldset class="cost">
            <legend>"Cost"</legend>
            <p>
                {move || offer.with(|o| {
                    let usd = |amount: Option<f64>| amount.map_or_else(|| "—".into(), format_usd);
                    let storage = o
                        .storage_price_per_hour
                        .filter(|p| *p > 0.0)
                        .map(|p| format!(" · storage {}/h", format_usd(p)))
                        .unwrap_or_default();
                    format!(
                        "{}/h in total · {}/GPU-hour{storage}",
                        usd(o.total_hourly()),
                        usd(o.price_per_gpu_hour()),
                    )
                })}
            </p>
            <div class="inline-form" role="group" aria-label="Duration presets">
                {PRESET_HOURS
                    .iter()
                    .map(|&h| {
                        let text = h.to_string();
                        view! {
                            <button
                                type="button"
                                aria-pressed=move || hours.with(|v| v.trim() == text).to_string()
                                on:click=move |_| hours.set(h.to_string())
                            >
                                {format!("{h} h")}
                            </button>
                        }
                    })
                    .collect_view()}
                <label for="duration-hours">"Hours"</label>
                <input
                    id="duration-hours"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    bind:value=hours
                    aria-describedby="cost-total"
                    aria-invalid=move || parsed.with(Result::is_err).to_string()
                />
            </div>
            <p id="cost-total" class="cost__total" aria-live="polite">"Estimated total: " {total}</p>
        </fieldset>
    }
}
