//! `/offers/:offer_id/status`: provisioning followed live. Polls every 15 s
//! with never two requests in flight, pauses while the tab is hidden,
//! backs off on errors, honours `Retry-After`, and stops at `ready` or
//! `failed`. The timeline of states is kept on the device.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use supply_model::polling::{PollPolicy, PollStop, Settle};
use supply_model::routes::{param, Page, Route};
use supply_model::status::parse_progress;
use supply_model::time::{format_duration_secs, relative_to};
use supply_model::timeline::Timeline;
use supply_model::{ApiFailure, OfferStatusResponse};

use crate::api::supply;
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::resources::order_resources::OrderResources;
use crate::state::base::at;
use crate::state::clock::use_now;
use crate::state::poller::{use_polling, PollRequest};
use crate::state::route::use_route_value;
use crate::state::session::use_session;
use crate::state::storage::{self, Area};

fn timeline_key(offer_id: &str) -> String {
    format!("supply.timeline.{offer_id}")
}

/// Shows a browser notification when the user has allowed them.
fn notify(title: &str, body: &str) {
    use web_sys::{Notification, NotificationOptions, NotificationPermission};
    if Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    let _ = Notification::new_with_options(title, &options);
}

/// Asks once, from a click, whether notifications may be shown.
#[component]
fn NotifyToggle() -> impl IntoView {
    use web_sys::{Notification, NotificationPermission};
    let permission = RwSignal::new(Notification::permission());
    let ask = move |_| {
        if let Ok(promise) = Notification::request_permission() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.try_set(Notification::permission());
            });
        }
    };
    move || {
        match permission.get() {
        NotificationPermission::Granted => view! {
            <p class="muted">"A browser notification will say when provisioning ends."</p>
        }
        .into_any(),
        NotificationPermission::Denied => view! {
            <p class="muted">"Notifications are blocked for this site; the tab title will say when it ends."</p>
        }
        .into_any(),
        _ => view! {
            <button type="button" on:click=ask>"Notify me when it ends"</button>
        }
        .into_any(),
    }
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let offer_id = use_route_value(Page::Status, |r| {
        r.param(param::OFFER_ID).map(str::to_owned)
    })
    .get_untracked();
    let offer_label = format!("Offer {offer_id}");
    let session = use_session();
    let now = use_now();

    let status = RwSignal::new(None::<OfferStatusResponse>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let timeline = RwSignal::new(Timeline::from_json(
        storage::read(Area::Local, &timeline_key(&offer_id)).as_deref(),
    ));

    let polled_id = offer_id.clone();
    let key = timeline_key(&offer_id);
    let poller = use_polling(
        PollPolicy::default(),
        move || {
            session.client().ok_or(ApiFailure::NotConfigured)?;
            Ok(Box::pin(supply::offer_status(session, &polled_id)) as PollRequest<_>)
        },
        |answer: &OfferStatusResponse| Settle::final_if(answer.is_final()),
        move |result| match result {
            Ok(answer) => {
                let state = answer
                    .procurement_status
                    .as_ref()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_else(|| answer.status.as_str().to_owned());
                let changed = timeline
                    .try_update(|t| t.observe(&state, Utc::now()))
                    .unwrap_or(false);
                if changed {
                    timeline.with_untracked(|t| storage::write(Area::Local, &key, &t.to_json()));
                }
                status.set(Some(answer));
                failure.set(None);
            }
            Err(err) => failure.set(Some(err)),
        },
    );
    let in_flight = poller.in_flight;
    let stopped = poller.stopped;

    // The tab title tells how it ended, and so does a notification where
    // the user allowed them.
    let notified = StoredValue::new(false);
    Effect::new(move |_| {
        let ended = status.with(|s| {
            s.as_ref()
                .and_then(|s| s.procurement_status.as_ref())
                .filter(|p| p.is_final())
                .map(|p| p.as_str().to_owned())
        });
        let title = match &ended {
            Some(state) => format!("{state} · GPU Supply Console"),
            None => "Provisioning · GPU Supply Console".to_owned(),
        };
        document().set_title(&title);
        if let Some(state) = ended {
            if !notified.get_value() {
                notified.set_value(true);
                notify(&format!("Provisioning {state}"), &offer_label);
            }
        }
    });
    on_cleanup(|| document().set_title("GPU Supply Console"));

    let retry = Callback::new(move |()| poller.restart());
    let state_text = move || {
        status.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.procurement_status
                        .as_ref()
                        .map_or_else(|| s.status.as_str().to_owned(), |p| p.as_str().to_owned())
                })
                .unwrap_or_else(|| "loading".into())
        })
    };
    let progress = move || status.with(|s| s.as_ref().and_then(|s| s.progress.clone()));
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
            s.as_ref().and_then(|s| s.procured_at.as_ref()).map(|at| {
                format!(
                    "Procured {} ({at})",
                    at.parsed()
                        .map(|t| relative_to(t, now.get()))
                        .unwrap_or_default()
                )
            })
        })
    };
    // The procure page kept the offer: the way back goes to its equivalents.
    let equivalents_href = storage::read(
        Area::Session,
        &crate::pages::procure::offer_snapshot_key(&offer_id),
    )
    .and_then(|raw| serde_json::from_str::<supply_model::Offer>(&raw).ok())
    .map_or_else(
        || Route::Offers.href(),
        |offer| supply_model::procure_form::equivalents_link(&offer),
    );
    let failed_reason = move || {
        status
            .with(|s| s.as_ref().and_then(|s| s.failure_reason.clone()))
            .map(|reason| {
                view! {
                    <div class="error-panel" role="alert">
                        <h2 class="error-panel__title">"Provisioning failed"</h2>
                        <p class="error-panel__message">{reason}</p>
                        <p class="error-panel__action">
                            "Nothing is running or billed for this offer. "
                            <A href=at(&equivalents_href.clone())>"Choose an equivalent offer"</A>
                        </p>
                    </div>
                }
            })
    };
    let timeline_items = move || {
        timeline.with(|t| {
            t.entries
                .iter()
                .map(|entry| {
                    let when = entry
                        .first_seen
                        .parsed()
                        .map(|at| relative_to(at, now.get()))
                        .unwrap_or_else(|| entry.first_seen.0.clone());
                    view! { <li><span class="badge">{entry.state.clone()}</span>" " {when}</li> }
                })
                .collect_view()
        })
    };
    let instances = move || {
        status.with(|s| {
            s.as_ref()
                .map(|s| s.instances.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|instance| {
                    let ssh = instance.ssh_command.clone();
                    view! {
                        <tr>
                            <td>{instance.instance_name}</td>
                            <td><code>{instance.instance_id}</code></td>
                            <td>{instance.zone}</td>
                            <td><span class="badge">{instance.status}</span></td>
                            <td>{instance.external_ip.unwrap_or_else(|| "—".into())}</td>
                            <td>{instance.internal_ip.unwrap_or_else(|| "—".into())}</td>
                            <td><code>{ssh.clone().unwrap_or_else(|| "available when running".into())}</code></td>
                            <td><CopyButton text=Signal::derive(move || ssh.clone()) what="SSH command" /></td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    // The order's resources are listed again once it settles.
    let settled = Signal::derive(move || {
        status.with(|s| {
            s.as_ref()
                .and_then(|s| s.procurement_status.as_ref())
                .is_some_and(|p| p.is_final())
        })
    });
    let resources = move || {
        status.with(|s| {
            s.as_ref()
                .map(|s| s.resources.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    let href = Route::Resource {
                        resource_id: r.resource_id.clone(),
                    }
                    .href();
                    view! {
                        <li>
                            <A href=at(&href)>{format!("{} ({})", r.resource_type, r.role)}</A>
                            " " <span class="badge">{r.status}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <section class="page status" aria-labelledby="status-title">
            <div class="page-heading">
                <h1 id="status-title">"Provisioning status"</h1>
                <button type="button" on:click=move |_| retry.run(()) disabled=move || in_flight.get()>
                    "Refresh now"
                </button>
            </div>
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
            {failed_reason}
            {move || failure.get().map(|failure| view! { <ErrorPanel failure on_retry=retry /> })}
            <h2>"Timeline"</h2>
            <ol class="timeline">{timeline_items}</ol>
            <h2>"Instances"</h2>
            <div class="table-wrap">
                <table aria-label="Instances">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"ID"</th>
                            <th scope="col">"Zone"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"External IP"</th>
                            <th scope="col">"Internal IP"</th>
                            <th scope="col">"SSH command"</th>
                            <th scope="col"><span class="visually-hidden">"Copy"</span></th>
                        </tr>
                    </thead>
                    <tbody>{instances}</tbody>
                </table>
            </div>
            <h2>"Resources"</h2>
            <ul class="resources">{resources}</ul>
            <OrderResources offer_id=offer_id.clone() settled />
        </section>
    }
}
