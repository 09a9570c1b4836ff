//! The filter bar. Every change becomes a new query in the URL; the page
//! re-reads it, so a copied link reproduces the view.

use leptos::prelude::*;
use supply_model::offer_query::OfferQuery;
use supply_model::OfferType;

use crate::components::value_options::value_options;

/// Choices offered by the current answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterChoices {
    pub gpu_types: Vec<String>,
    pub vendors: Vec<String>,
    pub regions: Vec<String>,
}

fn input_value(ev: &leptos::ev::Event) -> String {
    event_target_value(ev)
}

fn optional(raw: String) -> Option<String> {
    (!raw.is_empty()).then_some(raw)
}

fn number<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

/// One field of the query, as its own memo: a control bound to it is left
/// alone when another field changes, such as the search text on each
/// keystroke.
fn field<T>(query: Memo<OfferQuery>, read: fn(&OfferQuery) -> T) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| query.with(read))
}

fn shown<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[component]
pub fn OfferFilters(
    query: Memo<OfferQuery>,
    choices: Signal<FilterChoices>,
    /// A change the history should keep (Back returns to before it).
    #[prop(into)]
    on_change: Callback<OfferQuery>,
    /// Typing: replaces the current history entry.
    #[prop(into)]
    on_type: Callback<OfferQuery>,
) -> impl IntoView {
    let edit = move |change: fn(&mut OfferQuery, String), ev: leptos::ev::Event| {
        let mut next = query.get_untracked();
        change(&mut next, input_value(&ev));
        on_change.run(next);
    };
    let gpu_types = field(query, |q| q.gpu_types.clone());
    let vendor = field(query, |q| q.vendor.clone());
    let region = field(query, |q| q.region.clone());
    let text = field(query, |q| q.text.clone());
    let gpus_min = field(query, |q| shown(q.gpu_count_min));
    let gpus_max = field(query, |q| shown(q.gpu_count_max));
    let offer_type = field(query, |q| shown(q.offer_type.as_ref().map(|t| t.as_str())));
    let max_price = field(query, |q| shown(q.max_price_per_gpu_hour));
    let min_memory = field(query, |q| shown(q.min_gpu_memory_gb));
    let available_only = field(query, |q| q.available_only);
    let gpu_boxes = move || {
        choices.with(|c| c.gpu_types.clone()).into_iter().map(|gpu| {
            let id = format!("gpu-{gpu}");
            let checked = {
                let gpu = gpu.clone();
                move || gpu_types.with(|types| types.iter().any(|g| g.eq_ignore_ascii_case(&gpu)))
            };
            let toggle = {
                let gpu = gpu.clone();
                move |_| {
                    let mut next = query.get_untracked();
                    if let Some(at) = next.gpu_types.iter().position(|g| g.eq_ignore_ascii_case(&gpu)) {
                        next.gpu_types.remove(at);
                    } else {
                        next.gpu_types.push(gpu.clone());
                    }
                    on_change.run(next);
                }
            };
            view! {
                <span class="check">
                    <input type="checkbox" id=id.clone() prop:checked=checked on:change=toggle />
                    <label for=id>{gpu}</label>
                </span>
            }
        }).collect_view()
    };
    let options = move |list: fn(&FilterChoices) -> &Vec<String>, current: Memo<Option<String>>| {
        move || {
            let values = choices.with(|c| list(c).clone());
            current.with(|selected| value_options(values, selected.as_deref()))
        }
    };

    view! {
        <form class="filters" role="search" aria-label="Filter offers" on:submit=|ev| ev.prevent_default()>
            <div class="field field--wide">
                <label for="offer-search">"Search offers"</label>
                <input
                    id="offer-search"
                    type="search"
                    placeholder="GPU, vendor, region… (press /)"
                    prop:value=text
                    on:input=move |ev| {
                        let mut next = query.get_untracked();
                        next.text = input_value(&ev);
                        on_type.run(next);
                    }
                />
            </div>
            <fieldset class="field field--wide">
                <legend>"GPU type"</legend>
                <div class="checks">{gpu_boxes}</div>
            </fieldset>
            <div class="field">
                <label for="gpus-min">"GPUs from"</label>
                <input id="gpus-min" type="number" min="1" inputmode="numeric"
                    prop:value=gpus_min
                    on:change=move |ev| edit(|q, raw| q.gpu_count_min = number(&raw), ev) />
            </div>
            <div class="field">
                <label for="gpus-max">"GPUs to"</label>
                <input id="gpus-max" type="number" min="1" inputmode="numeric"
                    prop:value=gpus_max
                    on:change=move |ev| edit(|q, raw| q.gpu_count_max = number(&raw), ev) />
            </div>
            <div class="field">
                <label for="vendor">"Vendor"</label>
                <select id="vendor" on:change=move |ev| edit(|q, raw| q.vendor = optional(raw), ev)>
                    <option value="">"Any vendor"</option>
                    {options(|c| &c.vendors, vendor)}
                </select>
            </div>
            <div class="field">
                <label for="region">"Region"</label>
                <select id="region" on:change=move |ev| edit(|q, raw| q.region = optional(raw), ev)>
                    <option value="">"Any region"</option>
                    {options(|c| &c.regions, region)}
                </select>
            </div>
            <div class="field">
                <label for="offer-type">"Offer type"</label>
                <select
                    id="offer-type"
                    prop:value=offer_type
                    on:change=move |ev| edit(|q, raw| q.offer_type = optional(raw).map(|t| OfferType::from_wire(&t)), ev)
                >
                    <option value="">"Any type"</option>
                    <option value="vm">"VM"</option>
                    <option value="cluster">"Cluster"</option>
                    <option value="bare_metal">"Bare metal"</option>
                </select>
            </div>
            <div class="field">
                <label for="max-gpu-price">"Max $/GPU-hour"</label>
                <input id="max-gpu-price" type="number" min="0" step="0.01" inputmode="decimal"
                    prop:value=max_price
                    on:change=move |ev| edit(|q, raw| q.max_price_per_gpu_hour = number::<f64>(&raw).filter(|n| *n >= 0.0), ev) />
            </div>
            <div class="field">
                <label for="min-gpu-memory">"Min GPU memory (GB)"</label>
                <input id="min-gpu-memory" type="number" min="0" inputmode="numeric"
                    prop:value=min_memory
                    on:change=move |ev| edit(|q, raw| q.min_gpu_memory_gb = number::<f64>(&raw).filter(|n| *n >= 0.0), ev) />
            </div>
            <div class="field check">
                <input id="available-only" type="checkbox"
                    prop:checked=available_only
                    on:change=move |_| {
                        let mut next = query.get_untracked();
                        next.available_only = !next.available_only;
                        on_change.run(next);
                    } />
                <label for="available-only">"Available only"</label>
            </div>
            <div class="field">
                <button type="button" on:click=move |_| on_change.run(OfferQuery::default())>"Clear filters"</button>
            </div>
        </form>
    }
}
