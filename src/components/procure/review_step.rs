//! The review step: the order summed up, the exact request as curl, and
//! the one button that spends money.

use leptos::prelude::*;
use supply_model::pricing::format_usd;
use supply_model::procure_form::{cost_for_hours, parse_hours, ProcureDraft};
use supply_model::procure_view::offer_title;
use supply_model::ssh_key::parse_public_key;
use supply_model::supply_calls;
use supply_model::text::DASH;
use supply_model::Offer;

use super::offer_lookup::OrderedOffer;
use super::procure_form::ProcureForm;
use crate::components::copy_button::CopyButton;
use crate::state::session::use_session;

#[component]
pub(crate) fn ReviewStep(form: ProcureForm, offer: OrderedOffer) -> impl IntoView {
    let session = use_session();
    // The exact order as a curl command: `$SUPPLY_TOKEN` where the token
    // goes, never the token.
    let curl_command = Signal::derive(move || {
        let order = form.request(offer.is_cluster());
        supply_calls::curl(&session.base_url().get(), &supply_calls::procure(&order))
    });
    let summary = move || {
        let draft = form.fields.draft();
        offer.offer.with(|o| summary_rows(&draft, o.as_ref()))
    };
    view! {
        <section class="review" aria-labelledby="review-title">
            <h2 id="review-title" tabindex="-1">"Review the order"</h2>
            {summary}
            <div class="curl raw-json">
                <div class="curl__heading">
                    <h3 id="curl-title">"The request"</h3>
                    <CopyButton
                        text=Signal::derive(move || Some(curl_command.get()))
                        what="as curl"
                        label="Copy as curl"
                    />
                </div>
                <p class="muted">"The exact order as curl: set SUPPLY_TOKEN to your token first; it is never copied."</p>
                <pre class="curl__command" tabindex="0" role="region" aria-label="The order as curl"><code>{curl_command}</code></pre>
            </div>
            <div class="buttons">
                <button
                    type="button"
                    class="primary"
                    disabled=move || form.sending.get() || !offer.can_order()
                    on:click=move |_| form.send(offer.is_cluster())
                >
                    {move || if form.sending.get() { "Procuring…" } else { "Procure now" }}
                </button>
                <button
                    type="button"
                    disabled=move || form.sending.get()
                    on:click=move |_| form.reviewing.set(false)
                >
                    "Back to edit"
                </button>
            </div>
        </section>
    }
}

fn summary_rows(draft: &ProcureDraft, offer: Option<&Offer>) -> impl IntoView {
    let key = parse_public_key(&draft.ssh_public_key)
        .map(|k| k.keygen_line())
        .unwrap_or_default();
    let script_text = if draft.cloud_init.trim().is_empty() {
        "none".to_owned()
    } else {
        format!("{} bytes", draft.cloud_init.len())
    };
    let hours = parse_hours(&draft.hours).ok();
    let (label, price, total) = match offer {
        Some(o) => (
            offer_title(o),
            o.total_hourly().map_or_else(|| DASH.into(), format_usd),
            match (o.total_hourly(), hours) {
                (Some(p), Some(h)) => cost_for_hours(p, h),
                _ => DASH.into(),
            },
        ),
        None => (String::new(), String::new(), String::new()),
    };
    let chosen = |name: &str| {
        Some(name.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "chosen by the service".into())
    };
    let cluster_name = offer
        .is_some_and(Offer::is_cluster)
        .then(|| view! { <dt>"Cluster name"</dt><dd>{chosen(&draft.cluster_name)}</dd> });
    view! {
        <dl class="facts">
            <dt>"Offer"</dt><dd>{label}</dd>
            <dt>"Price"</dt><dd>{format!("{price}/h")}</dd>
            <dt>"Estimated total"</dt><dd>{total}</dd>
            <dt>"SSH key"</dt><dd><code>{key}</code></dd>
            <dt>"Cloud-init"</dt><dd>{script_text}</dd>
            <dt>"Resource name"</dt><dd>{chosen(&draft.resource_name)}</dd>
            {cluster_name}
        </dl>
    }
}
