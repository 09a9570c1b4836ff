//! `/offers/:offer_id/status`: provisioning followed live. Polls every 15 s
//! with never two requests in flight, pauses while the tab is hidden,
//! backs off on errors, honours `Retry-After`, and stops at `ready` or
//! `failed`. The timeline of states is kept on the device.

use leptos::prelude::*;
use supply_model::polling::{PollPolicy, PollStop, Settle};
use supply_model::routes::{param, Page};
use supply_model::status::parse_progress;
use supply_model::time::{format_duration_secs, relative_to};
use supply_model::{ApiFailure, OfferStatusResponse};

use crate::api::supply;
use crate::components::error_panel::ErrorPanel;
use crate::components::resources::order_resources::OrderResources;
use crate::components::status::instances_table::InstancesTable;
use crate::components::status::notify::{announce_end, NotifyToggle};
use crate::components::status::order_links::{ProvisioningFailed, ResourceLinks};
use crate::components::status::timeline::{kept_timeline, observe, StatusTimeline};
use crate::state::clock::use_now;
use crate::state::poller::{use_polling, PollRequest};
use crate::state::route::use_route_value;
use crate::state::session::use_session;

#[component]
pub(crate) fn StatusPage() -> impl IntoView {
    let offer_id = use_route_value(Page::Status, |r| {
        r.param(param::OFFER_ID).map(str::to_owned)
    });
    // Another order's status is a view of its own, so this one's polling
    // ends with it.
    move || {
        let offer_id = offer_id.get();
        view! { <StatusView offer_id /> }
    }
}

#[component]
fn StatusView(offer_id: String) -> impl IntoView {
    let session = use_session();
    let now = use_now();
    let status = RwSignal::new(None::<OfferStatusResponse>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let timeline = kept_timeline(&offer_id);

    let polled_id = offer_id.clone();
    let observed_id = offer_id.clone();
    let poller = use_polling(
        PollPolicy::default(),
        move || {
            session.client().ok_or(ApiFailure::NotConfigured)?;
            Ok(Box::pin(supply::offer_status(session, &polled_id)) as PollRequest<_>)
        },
        |answer: &OfferStatusResponse| Settle::final_if(answer.is_final()),
        move |result| match result {
            Ok(answer) => {
                observe(timeline, &observed_id, answer.state_name());
                status.set(Some(answer));
                failure.set(None);
            }
            Err(err) => failure.set(Some(err)),
        },
    );
    let in_flight = poller.in_flight;
    let stopped = poller.stopped;
    let retry = Callback::new(move |()| poller.restart());

    let read = move |f: fn(&OfferStatusResponse) -> Option<String>| {
        status.with(|s| s.as_ref().and_then(f))
    };
    let ended = Memo::new(move |_| read(|s| s.final_state().map(str::to_owned)));
    announce_end(ended, format!("Offer {offer_id}"));

    let state_text =
        move || read(|s| Some(s.state_name().to_owned())).unwrap_or_else(|| "loading".into());
    let progress = move || read(|s| s.progress.clone());
    let bar =
        move || {
            progress().and_then(|text| parse_progress(&text)).map(|(done, total)| {
            view! { <progress max=total value=done aria-label="Instances running"></progress> }
        })
        };
    let elapsed = move || {
        timeline
            .with(|t| t.elapsed_secs(now.get()))
            .map(|secs| format!("Elapsed: {}", format_duration_secs(secs)))
    };
    let procured = move || {
        status.with(|s| {
            let at = s.as_ref()?.procured_at.as_ref()?;
            let ago = at
                .parsed()
                .map(|t| relative_to(t, now.get()))
                .unwrap_or_default();
            Some(format!("Procured {ago} ({at})"))
        })
    };
    let failed_id = offer_id.clone();
    let failed = move || {
        read(|s| s.failure_reason.clone())
            .map(|reason| view! { <ProvisioningFailed reason offer_id=failed_id.clone() /> })
    };
    let instances = Signal::derive(move || {
        status.with(|s| s.as_ref().map(|s| s.instances.clone()).unwrap_or_default())
    });
    let resources = Signal::derive(move || {
        status.with(|s| s.as_ref().map(|s| s.resources.clone()).unwrap_or_default())
    });
    // The order's resources are listed again once it settles.
    let settled = Signal::derive(move || ended.with(Option::is_some));
    let answered =
        Memo::new(move |_| status.with(Option::is_some) || failure.with(Option::is_some));

    view! {
        <section class="page status" aria-labelledby="status-title">
            <div class="page-heading">
                <h1 id="status-title">{Page::Status.heading()}</h1>
                <button type="button" on:click=move |_| retry.run(()) disabled=move || in_flight.get()>
                    "Refresh now"
                </button>
            </div>
            <p class="lead">{Page::Status.lead()}</p>
            <p>"Offer " <code>{offer_id.clone()}</code></p>
            <p class="status-line" role="status">
                "State: " <strong class="badge">{state_text}</strong>
                {move || progress().map(|p| format!(" · {p}"))}
            </p>
            <div class="progress-slot">{bar}</div>
            <NotifyToggle />
            <p class="muted elapsed">{elapsed} " " {procured}</p>
            {move || (stopped.get() == Some(PollStop::Finished)).then_some(view! {
                <p class="muted">"Polling stopped: provisioning is over."</p>
            })}
            {failed}
            {move || failure.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            // Drawn with the first answer (or failure) in one go: growing
            // under the page's first paint, they would push each other down.
            {move || answered.get().then(|| view! {
                <h2>"Timeline"</h2>
                <StatusTimeline timeline />
                <h2>"Instances"</h2>
                <InstancesTable instances />
                <h2>"Resources"</h2>
                <ResourceLinks resources />
                <OrderResources offer_id=offer_id.clone() settled />
            })}
        </section>
    }
}
