//! The filter bar, in two parts the page names: what goes to the service
//! in the spec (it decides which offers match), and what narrows its
//! answer here, at keystroke speed. Every change becomes a new query in the
//! URL; the page re-reads it, so a copied link reproduces the view.

use leptos::either::Either;
use leptos::prelude::*;
use supply_model::decimal::shortest;
use supply_model::discovery::GpuCatalog;
use supply_model::offer_query::OfferQuery;
use supply_model::offer_spec::{SpecField, GPU_COUNTS, MACHINE_KINDS};
use supply_model::resource_query::distinct_values;
use supply_model::Offer;
use wasm_bindgen::JsCast;

use crate::components::value_options::value_options;
use crate::state::discovery::Choices;

/// The choices the controls offer: discovery's, and the answer's vendor
/// regions.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FilterChoices {
    pub(crate) gpus: GpuCatalog,
    pub(crate) vendors: Vec<String>,
    pub(crate) regions: Vec<String>,
    pub(crate) contracts: Vec<String>,
    pub(crate) vendor_regions: Vec<String>,
}

impl FilterChoices {
    /// Discovery's choices, and the vendor regions of the answer's offers.
    /// The GPU list is left empty until `/available_gpus` has settled: the
    /// service's list replaces the documented one, longer and in its own
    /// order, and boxes drawn before it would move under the pointer.
    pub(crate) fn new(discovered: &Choices, offers: &[Offer], gpus_settled: bool) -> Self {
        Self {
            gpus: if gpus_settled {
                discovered.gpus.value.clone()
            } else {
                GpuCatalog::default()
            },
            vendors: discovered.vendors.value.clone(),
            regions: discovered.regions.value.clone(),
            contracts: discovered.contracts.value.clone(),
            vendor_regions: distinct_values(offers, |o: &Offer| {
                o.vendor_region.as_deref().unwrap_or_default()
            }),
        }
    }
}

fn optional(raw: String) -> Option<String> {
    (!raw.is_empty()).then_some(raw)
}

fn number<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

fn shown<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
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

/// "/" jumps to the search field from anywhere on the page but another
/// field; until the calling component unmounts.
pub(crate) fn jump_to_search_on_slash() {
    let slash = window_event_listener(leptos::ev::keydown, |ev| {
        let in_a_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/" && !in_a_field {
            if let Some(search) = document()
                .get_element_by_id("offer-search")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                ev.prevent_default();
                let _ = search.focus();
            }
        }
    });
    on_cleanup(move || slash.remove());
}

#[component]
pub(crate) fn OfferFilters(
    /// The query as sent: its spec has the GPU and count defaults filled in.
    query: Memo<OfferQuery>,
    choices: Signal<FilterChoices>,
    /// The service's refusal of a spec field, shown on its control.
    errors: Signal<Vec<(SpecField, String)>>,
    /// A change the history should keep (Back returns to before it).
    #[prop(into)]
    on_change: Callback<OfferQuery>,
    /// Typing: replaces the current history entry.
    #[prop(into)]
    on_type: Callback<OfferQuery>,
) -> impl IntoView {
    let edit = move |change: fn(&mut OfferQuery, String), ev: leptos::ev::Event| {
        let mut next = query.get_untracked();
        change(&mut next, event_target_value(&ev));
        on_change.run(next);
    };
    let error_of = move |field: SpecField| {
        move || {
            errors.with(|all| {
                all.iter()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, message)| message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let has_error = move |field: SpecField| {
        move || {
            errors
                .with(|all| all.iter().any(|(f, _)| *f == field))
                .to_string()
        }
    };
    let gpu_types = field(query, |q| q.spec.compute.gpu_types.clone());
    let gpu_count = field(query, |q| shown(q.spec.compute.gpu_count));
    let vendor = field(query, |q| q.spec.vendor.clone());
    let region = field(query, |q| q.spec.region.clone());
    let contract = field(query, |q| q.spec.compute.contract_type.clone());
    let kind = field(query, |q| shown(q.spec.compute.kind.clone()));
    let max_price = field(query, |q| {
        shown(q.spec.compute.max_price_per_gpu_hour.map(shortest))
    });
    let min_disk = field(query, |q| shown(q.spec.compute.min_boot_disk_gb));
    let cilium = field(query, |q| q.spec.network.supports_cilium == Some(true));
    let ready_within = field(query, |q| shown(q.spec.max_procure_time_seconds));
    let vendor_region = field(query, |q| q.vendor_region.clone());
    let max_total = field(query, |q| shown(q.max_total_hourly.map(shortest)));
    let text = field(query, |q| q.text.clone());

    let gpu_box = move |name: String, class: &'static str| {
        let id = format!("gpu-{}", name.replace(' ', "-"));
        let checked = {
            let name = name.clone();
            move || gpu_types.with(|types| types.iter().any(|g| g.eq_ignore_ascii_case(&name)))
        };
        let toggle = {
            let name = name.clone();
            move |_| {
                let mut next = query.get_untracked();
                let types = &mut next.spec.compute.gpu_types;
                if let Some(at) = types.iter().position(|g| g.eq_ignore_ascii_case(&name)) {
                    types.remove(at);
                } else {
                    types.push(name.clone());
                }
                on_change.run(next);
            }
        };
        view! {
            <span class=class>
                <input type="checkbox" id=id.clone() prop:checked=checked on:change=toggle />
                <label for=id>{name}</label>
            </span>
        }
    };
    let gpu_boxes = move || {
        let families = choices.with(|c| c.gpus.families.clone());
        if families.is_empty() {
            return Either::Left(
                view! { <span class="muted">"Asking the service for its GPU list…"</span> },
            );
        }
        let boxes = families
            .into_iter()
            .map(|family| {
                let variants = family
                    .names
                    .into_iter()
                    .map(|name| gpu_box(name, "check check--variant"))
                    .collect_view();
                view! {
                    <div class="gpu-family">
                        {gpu_box(family.family, "check")}
                        {variants}
                    </div>
                }
            })
            .collect_view();
        Either::Right(boxes)
    };
    let options = move |list: fn(&FilterChoices) -> &Vec<String>, current: Memo<Option<String>>| {
        move || {
            let values = choices.with(|c| list(c).clone());
            current.with(|selected| value_options(values, selected.as_deref()))
        }
    };

    view! {
        <form class="filters" role="search" aria-label="Filter offers" on:submit=|ev| ev.prevent_default()>
            <fieldset class="filters__part">
                <legend>"Sent to the service"</legend>
                <p class="hint">"The service matches these against every vendor live; a change sends a new query."</p>
                <fieldset class="field field--wide" aria-describedby="gpu-type-error">
                    <legend>"GPU (family, or an exact model)"</legend>
                    <div class="checks checks--gpus">{gpu_boxes}</div>
                    <p id="gpu-type-error" class="field-error">{error_of(SpecField::GpuType)}</p>
                </fieldset>
                <div class="field">
                    <label for="gpu-count">"GPUs"</label>
                    <select id="gpu-count" prop:value=gpu_count aria-invalid=has_error(SpecField::GpuCount)
                        aria-describedby="gpu-count-error"
                        on:change=move |ev| edit(|q, raw| q.spec.compute.gpu_count = number(&raw), ev)>
                        {GPU_COUNTS.map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> })}
                    </select>
                    <p id="gpu-count-error" class="field-error">{error_of(SpecField::GpuCount)}</p>
                </div>
                <div class="field">
                    <label for="vendor">"Vendor"</label>
                    <select id="vendor" aria-invalid=has_error(SpecField::Vendor) aria-describedby="vendor-error"
                        on:change=move |ev| edit(|q, raw| q.spec.vendor = optional(raw), ev)>
                        <option value="">"Any vendor"</option>
                        {options(|c| &c.vendors, vendor)}
                    </select>
                    <p id="vendor-error" class="field-error">{error_of(SpecField::Vendor)}</p>
                </div>
                <div class="field">
                    <label for="region">"Region group"</label>
                    <select id="region" aria-invalid=has_error(SpecField::Region) aria-describedby="region-error"
                        on:change=move |ev| edit(|q, raw| q.spec.region = optional(raw), ev)>
                        <option value="">"Any region"</option>
                        {options(|c| &c.regions, region)}
                    </select>
                    <p id="region-error" class="field-error">{error_of(SpecField::Region)}</p>
                </div>
                <div class="field">
                    <label for="contract">"Contract"</label>
                    <select id="contract" aria-invalid=has_error(SpecField::Contract) aria-describedby="contract-error"
                        on:change=move |ev| edit(|q, raw| q.spec.compute.contract_type = optional(raw), ev)>
                        <option value="">"On-demand or spot"</option>
                        {options(|c| &c.contracts, contract)}
                    </select>
                    <p id="contract-error" class="field-error">{error_of(SpecField::Contract)}</p>
                </div>
                <div class="field">
                    <label for="machine-kind">"Type"</label>
                    <select id="machine-kind" prop:value=kind aria-invalid=has_error(SpecField::Kind)
                        aria-describedby="machine-kind-error"
                        on:change=move |ev| edit(|q, raw| q.spec.compute.kind = optional(raw), ev)>
                        <option value="">"Any type"</option>
                        {MACHINE_KINDS.map(|k| view! { <option value=k>{if k == "vm" { "VM" } else { "Container" }}</option> })}
                    </select>
                    <p id="machine-kind-error" class="field-error">{error_of(SpecField::Kind)}</p>
                </div>
                <div class="field">
                    <label for="max-gpu-price">"Max $/GPU-hour"</label>
                    <input id="max-gpu-price" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=max_price aria-invalid=has_error(SpecField::MaxPrice)
                        aria-describedby="max-gpu-price-error"
                        on:change=move |ev| edit(|q, raw| q.spec.compute.max_price_per_gpu_hour = number::<f64>(&raw).filter(|n| *n >= 0.0), ev) />
                    <p id="max-gpu-price-error" class="field-error">{error_of(SpecField::MaxPrice)}</p>
                </div>
                <div class="field">
                    <label for="min-boot-disk">"Min boot disk (GB)"</label>
                    <input id="min-boot-disk" type="number" min="0" inputmode="numeric"
                        prop:value=min_disk aria-invalid=has_error(SpecField::MinBootDisk)
                        aria-describedby="min-boot-disk-error"
                        on:change=move |ev| edit(|q, raw| q.spec.compute.min_boot_disk_gb = number(&raw), ev) />
                    <p id="min-boot-disk-error" class="field-error">{error_of(SpecField::MinBootDisk)}</p>
                </div>
                <div class="field">
                    <label for="ready-within">"Ready within (s)"</label>
                    <input id="ready-within" type="number" min="0" inputmode="numeric"
                        prop:value=ready_within aria-invalid=has_error(SpecField::MaxProcureTime)
                        aria-describedby="ready-within-error"
                        on:change=move |ev| edit(|q, raw| q.spec.max_procure_time_seconds = number(&raw), ev) />
                    <p id="ready-within-error" class="field-error">{error_of(SpecField::MaxProcureTime)}</p>
                </div>
                <div class="field check">
                    <input id="cilium" type="checkbox" prop:checked=cilium
                        on:change=move |_| {
                            let mut next = query.get_untracked();
                            let on = next.spec.network.supports_cilium == Some(true);
                            next.spec.network.supports_cilium = (!on).then_some(true);
                            on_change.run(next);
                        } />
                    <label for="cilium">"Supports Cilium"</label>
                </div>
            </fieldset>
            <fieldset class="filters__part">
                <legend>"Narrows the answer here"</legend>
                <div class="field field--wide">
                    <label for="offer-search">"Search offers"</label>
                    <input
                        id="offer-search"
                        type="search"
                        placeholder="GPU, vendor, region… (press /)"
                        prop:value=text
                        on:input=move |ev| {
                            let mut next = query.get_untracked();
                            next.text = event_target_value(&ev);
                            on_type.run(next);
                        }
                    />
                </div>
                <div class="field">
                    <label for="vendor-region">"Vendor region"</label>
                    <select id="vendor-region" on:change=move |ev| edit(|q, raw| q.vendor_region = optional(raw), ev)>
                        <option value="">"Any vendor region"</option>
                        {options(|c| &c.vendor_regions, vendor_region)}
                    </select>
                </div>
                <div class="field">
                    <label for="max-total">"Max $/hour (whole offer)"</label>
                    <input id="max-total" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=max_total
                        on:change=move |ev| edit(|q, raw| q.max_total_hourly = number::<f64>(&raw).filter(|n| *n >= 0.0), ev) />
                </div>
                <div class="field">
                    <button type="button" on:click=move |_| on_change.run(OfferQuery::default())>"Clear filters"</button>
                </div>
            </fieldset>
        </form>
    }
}
