//! The resource's own fields: what it is, where, its state, its validity
//! with a countdown, its price and what it has cost so far, live.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::connection::format_accrued;
use supply_model::deletion::{cost_so_far, Lifecycle};
use supply_model::k0rdent_link::k0rdent_instance;
use supply_model::pricing::format_usd;
use supply_model::resource::validity_countdown;
use supply_model::text::or_dash;
use supply_model::time::relative_to;
use supply_model::{ApiTime, ResourceSummary};

use super::StatusBadge;
use crate::components::copy_button::CopyButton;
use crate::state::base::at;
use crate::state::clock::use_now;

/// A field of the shown resource that changes only when it does, so the
/// parts of the page that read it keep their focus across refreshes.
pub(crate) fn field<T>(
    resource: Memo<Option<ResourceSummary>>,
    read: impl Fn(&ResourceSummary) -> T + Send + Sync + 'static,
) -> Memo<Option<T>>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| resource.with(|r| r.as_ref().map(&read)))
}

/// A timestamp as sent, with its distance from now.
#[component]
pub(crate) fn When(
    #[prop(into)] at: Signal<Option<ApiTime>>,
    /// Add "(3 min ago)"; off where a countdown already says it.
    #[prop(default = true)]
    relative: bool,
) -> impl IntoView {
    let now = use_now();
    move || {
        at.get()
            .map(|at| {
                let raw = at.0.clone();
                let relative = at
                    .parsed()
                    .filter(|_| relative)
                    .map(|t| relative_to(t, now.get()));
                view! {
                    <time datetime=raw.clone()>{raw.clone()}</time>
                    {relative.map(|r| format!(" ({r})"))}
                }
                .into_any()
            })
            .unwrap_or_else(|| "—".into_any())
    }
}

#[component]
pub(crate) fn ResourceFacts(
    resource: Memo<Option<ResourceSummary>>,
    /// When this tab asked for its delete: the cost freezes there.
    #[prop(into)]
    asked_at: Signal<Option<DateTime<Utc>>>,
) -> impl IntoView {
    let now = use_now();
    let id = field(resource, |r| r.resource_id.clone());
    let name = field(resource, |r| r.name.clone());
    let kind = field(resource, |r| r.resource_type.clone());
    let vendor = field(resource, |r| r.vendor.clone());
    let region = field(resource, |r| r.vendor_region.clone());
    let status = field(resource, |r| r.status.clone());
    let message = field(resource, |r| r.status_message.clone());
    let created = field(resource, |r| r.created_at.clone());
    let valid_from = field(resource, |r| r.valid_from.clone());
    let valid_to = field(resource, |r| r.valid_to.clone());
    let hourly = field(resource, |r| r.pricing_total_hourly);
    let k0rdent = field(resource, k0rdent_instance);

    let accrued = move || {
        let now = now.get();
        resource
            .with(|r| {
                r.as_ref().and_then(|r| {
                    let cost = cost_so_far(r, asked_at.get(), now)?;
                    let why = match (cost.frozen_at, Lifecycle::of(&r.status).is_ending()) {
                        (None, _) => "",
                        (Some(_), true) => " (frozen at the deletion)",
                        (Some(_), false) => " (billing ended at valid to)",
                    };
                    Some(format!("{}{why}", format_accrued(cost.amount)))
                })
            })
            .unwrap_or_else(|| "— (no price or start time)".to_owned())
    };
    let countdown = move || {
        valid_to.with(|v| validity_countdown(v.as_ref().and_then(Option::as_ref), now.get()))
    };

    view! {
        <dl class="facts resource-facts">
            <dt>"Name"</dt>
            <dd>{move || or_dash(name.get().flatten())}</dd>
            <dt>"Resource ID"</dt>
            <dd>
                <code>{move || id.get().unwrap_or_default()}</code> " "
                <CopyButton text=Signal::derive(move || id.get()) what="resource ID" />
            </dd>
            <dt>"Type"</dt>
            <dd>{move || or_dash(kind.get())}</dd>
            <dt>"Vendor"</dt>
            <dd>{move || or_dash(vendor.get())}</dd>
            <dt>"Region"</dt>
            <dd>{move || or_dash(region.get())}</dd>
            <dt>"Status"</dt>
            <dd>
                <StatusBadge status=Signal::derive(move || status.get().unwrap_or_default()) />
                <span class="status-message">{move || message.get().flatten().map(|m| format!(" {m}"))}</span>
            </dd>
            <dt>"Created"</dt>
            <dd><When at=Signal::derive(move || created.get()) /></dd>
            <dt>"Valid from"</dt>
            <dd><When at=Signal::derive(move || valid_from.get().flatten()) /></dd>
            <dt>"Valid to"</dt>
            <dd>
                {move || valid_to.get().flatten().map(|at| view! {
                    <When at=Signal::derive(move || Some(at.clone())) relative=false />
                    " · "
                })}
                <span class="countdown">{countdown}</span>
            </dd>
            <dt>"Price"</dt>
            <dd class="price-hourly">
                {move || or_dash(hourly.get().flatten().map(|p| format!("{}/hour", format_usd(p))))}
            </dd>
            <dt>"Cost so far"</dt>
            <dd class="accrued" aria-live="off">{accrued}</dd>
            {move || k0rdent.get().flatten().map(|k| view! {
                <dt>"k0rdent instance"</dt>
                <dd>
                    <A href=at(&k.console_path())>{format!("{} in {} / {}", k.instance_id, k.region, k.project)}</A>
                </dd>
            })}
        </dl>
    }
}
