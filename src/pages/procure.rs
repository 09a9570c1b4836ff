//! `/offers/:offer_id/procure`: the launch form. The offer is asked of
//! `GET /offers/{offer_id}` (a shared link works) and its `status` said in
//! words; one that can no longer be ordered (procured, failed, expired)
//! comes with equivalents. The form saves itself on the device, a review
//! step sums up the order and copies it as curl, and every failure keeps
//! what was typed: 410 offers equivalents, 422 lands on the fields, 401
//! goes to settings and back.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use supply_model::cloud_init::check_cloud_init;
use supply_model::offer_query::OfferQuery;
use supply_model::pricing::format_usd;
use supply_model::procure_form::{
    blocking_problems, equivalent_spec, parse_hours, place_validation_errors, total_cost, Field,
    ProcureDraft,
};
use supply_model::procure_view::{
    complete_details, lacks_listing_fields, listing_spec, offer_title, standing, Standing,
};
use supply_model::routes::Route;
use supply_model::ssh_key::parse_public_key;
use supply_model::supply_calls;
use supply_model::{ApiFailure, Offer, ProcureStatus};
use wasm_bindgen::JsCast;

use crate::api::{supply, use_remote};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::procure::cloud_init_editor::CloudInitEditor;
use crate::components::procure::cost_estimate::CostEstimate;
use crate::components::procure::equivalents::EquivalentOffers;
use crate::components::procure::offer_summary::OfferSummary;
use crate::components::procure::ssh_key_field::{load_library, SshKeyField};
use crate::components::text_field::TextField;
use crate::state::base::at;
use crate::state::clock::use_now;
use crate::state::route::link;
use crate::state::session::use_session;
use crate::state::storage::{self, Area};

const DRAFT_KEY: &str = "supply.procure.draft";

/// The offer a procurement was for, kept so the status page can link to
/// equivalent offers if provisioning fails.
pub fn offer_snapshot_key(offer_id: &str) -> String {
    format!("supply.offer.{offer_id}")
}

/// The draft on the device, or a fresh one with the default saved key.
fn restore_draft() -> ProcureDraft {
    let mut draft = ProcureDraft::from_json(storage::read(Area::Local, DRAFT_KEY).as_deref());
    if draft.ssh_public_key.trim().is_empty() {
        if let Some(key) = load_library().default_key() {
            draft.ssh_public_key = key.public_key.clone();
        }
    }
    if draft.hours.trim().is_empty() {
        draft.hours = "8".into();
    }
    draft
}

fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The form's fields as signals, saved together as the draft.
#[derive(Clone, Copy)]
struct FormFields {
    ssh_public_key: RwSignal<String>,
    cloud_init: RwSignal<String>,
    resource_name: RwSignal<String>,
    cluster_name: RwSignal<String>,
    hours: RwSignal<String>,
}

impl FormFields {
    fn new(draft: ProcureDraft) -> Self {
        Self {
            ssh_public_key: RwSignal::new(draft.ssh_public_key),
            cloud_init: RwSignal::new(draft.cloud_init),
            resource_name: RwSignal::new(draft.resource_name),
            cluster_name: RwSignal::new(draft.cluster_name),
            hours: RwSignal::new(draft.hours),
        }
    }

    fn draft(&self) -> ProcureDraft {
        ProcureDraft {
            ssh_public_key: self.ssh_public_key.get(),
            cloud_init: self.cloud_init.get(),
            resource_name: self.resource_name.get(),
            cluster_name: self.cluster_name.get(),
            hours: self.hours.get(),
        }
    }
}

/// The storage volumes the last offers search asked for: the offer was
/// listed, and priced, with them.
fn last_search_storage() -> Vec<supply_model::offer_spec::StorageVolume> {
    storage::read(Area::Local, crate::pages::offers::LAST_SEARCH_KEY)
        .map(|search| OfferQuery::from_query_string(&search).spec.storage)
        .unwrap_or_default()
}

/// The console's own origin, for a base URL that is a path on it.
/// Where the order stands.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Editing,
    Reviewing,
    Sending,
}

#[component]
pub fn ProcurePage() -> impl IntoView {
    let params = use_params_map();
    let offer_id = Memo::new(move |_| params.with(|p| p.get("offer_id").unwrap_or_default()));
    let session = use_session();
    let now = use_now();
    let navigate = use_navigate();
    // Requests are made under the page's owner: a click handler's owner is
    // the view that redraws as the stage changes, which would abort them.
    let owner = Owner::current();

    // The offer and its status, asked of `GET /offers/{offer_id}` so a
    // shared link works.
    let details = use_remote(move || supply::offer(session, &offer_id.get()));
    // The details leave out what only the listing has (vendor region, type,
    // storage, cluster layout): taken from an earlier look at this offer in
    // this browser session, or from `get_offers` asked for its exact shape.
    let listing = RwSignal::new(None::<Offer>);
    Effect::new(move |_| {
        let id = offer_id.get_untracked();
        let Some(found) = details
            .data
            .get()
            .filter(|o| o.offer_id.eq_ignore_ascii_case(&id))
        else {
            return;
        };
        let have = |o: &Offer| o.offer_id.eq_ignore_ascii_case(&id) && !lacks_listing_fields(o);
        if !lacks_listing_fields(&found) || listing.with_untracked(|l| l.as_ref().is_some_and(have))
        {
            return;
        }
        let kept = storage::read(Area::Session, &offer_snapshot_key(&id))
            .and_then(|raw| serde_json::from_str::<Offer>(&raw).ok())
            .filter(have);
        if let Some(kept) = kept {
            listing.set(Some(kept));
            return;
        }
        // Only a live offer is listed.
        let orderable = standing(&found, now.get_untracked(), false).can_order();
        let Some(spec) = listing_spec(&found, &last_search_storage()).filter(|_| orderable) else {
            return;
        };
        let request = supply::get_offers(session, &spec);
        spawn_local(async move {
            if let Ok(answer) = request.await {
                let item = answer
                    .offers
                    .into_iter()
                    .find(|o| o.offer_id.eq_ignore_ascii_case(&id));
                if item.is_some() {
                    listing.try_set(item);
                }
            }
        });
    });
    // Only the answer for the id in the address: while an equivalent's
    // answer is on its way, the previous offer is not shown as this one.
    let offer = Memo::new(move |_| {
        let id = offer_id.get();
        let found = details.data.with(|found| {
            found
                .as_ref()
                .filter(|o| o.offer_id.eq_ignore_ascii_case(&id))
                .cloned()
        })?;
        Some(listing.with(|listed| match listed {
            Some(listed) => complete_details(found.clone(), listed),
            None => found,
        }))
    });
    // 404: no such offer, or not one this token may see. 422: the service
    // did not take the id as one.
    let not_found = move || {
        details
            .error
            .with(|e| e.as_ref().and_then(ApiFailure::status))
            .filter(|status| *status == 404 || *status == 422)
    };
    let lookup_failure = move || details.error.get().filter(|_| not_found().is_none());
    // The last offer seen under this id: when the service no longer knows
    // it, equivalents are found from it.
    let known_offer = RwSignal::new(None::<Offer>);
    Effect::new(move |_| {
        let id = offer_id.get();
        match offer.get() {
            Some(found) => {
                storage::write(
                    Area::Session,
                    &offer_snapshot_key(&id),
                    &serde_json::to_string(&found).unwrap_or_default(),
                );
                known_offer.set(Some(found));
            }
            None => known_offer.set(
                storage::read(Area::Session, &offer_snapshot_key(&id))
                    .and_then(|raw| serde_json::from_str(&raw).ok()),
            ),
        }
    });
    let gone = RwSignal::new(false);
    // Whether it can be ordered, and if not why; `None` until it is known.
    let offer_standing =
        Memo::new(move |_| offer.with(|o| o.as_ref().map(|o| standing(o, now.get(), gone.get()))));
    let can_order = move || offer_standing.with(|s| s.as_ref().is_some_and(Standing::can_order));

    // The form, saved on every change.
    let fields = FormFields::new(restore_draft());
    Effect::new(move |_| {
        let draft = fields.draft();
        storage::write(Area::Local, DRAFT_KEY, &draft.to_json());
    });

    let stage = RwSignal::new(Stage::Editing);
    let problems = RwSignal::new(Vec::<(Field, String)>::new());
    let general_problems = RwSignal::new(Vec::<String>::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let refused = RwSignal::new(None::<String>);
    let problem_for = move |field: Field| {
        Signal::derive(move || {
            problems.with(|all| {
                let text: Vec<&str> = all
                    .iter()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, m)| m.as_str())
                    .collect();
                (!text.is_empty()).then(|| text.join(" "))
            })
        })
    };
    // Editing a field clears what was said about it.
    for (field, signal) in [
        (Field::SshPublicKey, fields.ssh_public_key),
        (Field::CloudInit, fields.cloud_init),
        (Field::ResourceName, fields.resource_name),
        (Field::ClusterName, fields.cluster_name),
    ] {
        Effect::new(move |first: Option<()>| {
            signal.track();
            if first.is_some() {
                problems.update(|all| all.retain(|(f, _)| *f != field));
            }
        });
    }
    // A different offer (an equivalent was picked) starts a new order; the
    // previous offer's answer is not this one's.
    Effect::new(move |first: Option<()>| {
        offer_id.track();
        if first.is_some() {
            stage.set(Stage::Editing);
            gone.set(false);
            failure.set(None);
            refused.set(None);
            details.error.set(None);
        }
    });

    let cluster = move || offer.with(|o| o.as_ref().is_some_and(Offer::is_cluster));
    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = blocking_problems(&fields.draft(), cluster());
        general_problems.set(Vec::new());
        if let Some((first, _)) = found.first() {
            focus(first.input_id());
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        stage.set(Stage::Reviewing);
        // The review appears on the next frame; move focus to it then.
        request_animation_frame(|| focus("review-title"));
    };

    let send = Callback::new(move |()| {
        // One order at a time, however fast the clicks come.
        if stage.get_untracked() == Stage::Sending {
            return;
        }
        if session.client().is_none() {
            failure.set(Some(ApiFailure::NotConfigured));
            return;
        }
        let id = offer_id.get_untracked();
        let order = fields.draft().to_request(&id, cluster());
        let Some(request) = owner
            .as_ref()
            .map(|owner| owner.with(|| supply::procure(session, &order)))
        else {
            return;
        };
        stage.set(Stage::Sending);
        failure.set(None);
        refused.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = request.await;
            if stage.try_get_untracked().is_none() {
                return; // the page is gone
            }
            stage.set(Stage::Editing);
            match result {
                Ok(answer) => match answer.status {
                    ProcureStatus::Failed => refused.set(Some(answer.error.unwrap_or_else(|| {
                        "The service said the order failed, without a reason.".into()
                    }))),
                    _ => {
                        storage::remove(Area::Local, DRAFT_KEY);
                        navigate(
                            &Route::Status {
                                offer_id: id.clone(),
                            }
                            .href(),
                            Default::default(),
                        );
                    }
                },
                Err(ApiFailure::Validation { fields: errors }) => {
                    let (placed, general) = place_validation_errors(&errors);
                    if let Some((first, _)) = placed.first() {
                        // Once the form is enabled again.
                        let id = first.input_id();
                        request_animation_frame(move || focus(id));
                    }
                    problems.set(placed);
                    general_problems.set(general);
                }
                Err(err) if err.status() == Some(410) => {
                    gone.set(true);
                    // The service's word on the offer now (expired).
                    details.reload();
                }
                Err(ApiFailure::Aborted) => {}
                Err(err) => failure.set(Some(err)),
            }
        });
    });

    let summary_rows = move || {
        let draft = fields.draft();
        let key = parse_public_key(&draft.ssh_public_key)
            .map(|k| k.keygen_line())
            .unwrap_or_default();
        let script = check_cloud_init(&draft.cloud_init);
        let script_text = if draft.cloud_init.trim().is_empty() {
            "none".to_owned()
        } else {
            format!("{} bytes", script.bytes)
        };
        let hours = parse_hours(&draft.hours).ok();
        let (label, price, total) = offer.with(|o| match o {
            Some(o) => (
                offer_title(o),
                o.total_hourly().map_or_else(|| "—".into(), format_usd),
                match (o.total_hourly(), hours) {
                    (Some(p), Some(h)) => format!("{} for {h} h", format_usd(total_cost(p, h))),
                    _ => "—".into(),
                },
            ),
            None => (String::new(), String::new(), String::new()),
        });
        let name = Some(draft.resource_name.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "chosen by the service".into());
        view! {
            <dl class="facts">
                <dt>"Offer"</dt><dd>{label}</dd>
                <dt>"Price"</dt><dd>{format!("{price}/h")}</dd>
                <dt>"Estimated total"</dt><dd>{total}</dd>
                <dt>"SSH key"</dt><dd><code>{key}</code></dd>
                <dt>"Cloud-init"</dt><dd>{script_text}</dd>
                <dt>"Resource name"</dt><dd>{name}</dd>
                {cluster().then(|| {
                    let cluster_name = Some(draft.cluster_name.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| "chosen by the service".into());
                    view! { <dt>"Cluster name"</dt><dd>{cluster_name}</dd> }
                })}
            </dl>
        }
    };

    // The exact order as a curl command: `$SUPPLY_TOKEN` where the token
    // goes, never the token.
    let curl_command = Signal::derive(move || {
        let order = fields.draft().to_request(&offer_id.get(), cluster());
        supply_calls::curl(&session.base_url().get(), &supply_calls::procure(&order))
    });

    let offer_panel = move || {
        if let Some(found) = offer.get() {
            return view! { <OfferSummary offer=found gone=gone /> }.into_any();
        }
        if let Some(status) = not_found() {
            let message = if status == 404 {
                "No offer with this ID exists, or it is not visible to this token (404)."
            } else {
                "The service did not accept this as an offer ID (422)."
            };
            return view! {
                <div class="error-panel" role="alert">
                    <h2 class="error-panel__title">"This offer was not found"</h2>
                    <p class="error-panel__message">{message}</p>
                    <p class="error-panel__action">
                        "Pick an offer on the " <A href=link(&Route::Offers)>"offers page"</A> "."
                    </p>
                </div>
            }
            .into_any();
        }
        view! { <p role="status">{move || details.error.with(Option::is_none).then_some("Looking up the offer…")}</p> }.into_any()
    };
    // Why it cannot be ordered, in words: procured, failed, expired, 410.
    let blocked_panel = move || {
        let standing = offer_standing.get()?;
        let (title, message) = standing.blocker()?;
        let status_link = (standing == Standing::Procured).then(|| {
            let href = Route::Status { offer_id: offer_id.get() }.href();
            view! {
                <p class="error-panel__action">
                    "If the order was yours, " <A href=at(&href)>"follow it on its status page"</A> "."
                </p>
            }
        });
        Some(view! {
            <div class="error-panel" role="alert">
                <h2 class="error-panel__title">{title}</h2>
                <p class="error-panel__message">{message}</p>
                <p class="error-panel__action">"Pick an equivalent offer below: your key, script and names stay in the form."</p>
                {status_link}
            </div>
        })
    };
    // The offer equivalents are found for, when they are needed. A fresh
    // answer for the same offer (its status after a 410) does not ask again.
    let equivalents_for = Memo::new_with_compare(
        move |_| {
            let blocked = offer_standing.with(|s| s.as_ref().is_some_and(|s| !s.can_order()));
            let needed = blocked || not_found().is_some();
            known_offer.get().filter(|_| needed)
        },
        |old, new| {
            let key = |offer: Option<&Option<Offer>>| {
                offer
                    .and_then(Option::as_ref)
                    .map(|o| (o.offer_id.clone(), equivalent_spec(o)))
            };
            key(old) != key(new)
        },
    );
    let equivalents = move || {
        equivalents_for
            .get()
            .map(|original| view! { <EquivalentOffers original /> })
    };

    view! {
        <section class="page procure" aria-labelledby="procure-title">
            <div class="page-heading">
                <h1 id="procure-title">"Procure offer"</h1>
                <A href=link(&Route::Offers)>"Back to offers"</A>
            </div>
            {offer_panel}
            {move || lookup_failure().map(|failure| view! {
                <ErrorPanel failure on_retry=Callback::new(move |()| details.reload()) />
            })}
            {blocked_panel}
            {equivalents}
            // The form appears with the offer (or the failure to find it),
            // not before, so nothing on screen moves under the pointer.
            <Show when=move || !details.is_pending()>
            <form class="procure-form" on:submit=review novalidate=true>
                <fieldset class="plain" disabled=move || stage.get() != Stage::Editing>
                    <legend class="visually-hidden">"Order details"</legend>
                    <SshKeyField value=fields.ssh_public_key error=problem_for(Field::SshPublicKey) />
                    <CloudInitEditor value=fields.cloud_init server_error=problem_for(Field::CloudInit) />
                    <TextField
                        id="resource-name"
                        label="Resource name"
                        hint="Optional: letters, digits, '-', '_' and '.', up to 63 characters."
                        kind="text"
                        value=fields.resource_name
                        error=problem_for(Field::ResourceName)
                    />
                    {move || cluster().then(|| view! {
                        <TextField
                            id="cluster-name"
                            label="Cluster name"
                            hint="Optional, for this cluster offer; the service picks one if empty."
                            kind="text"
                            value=fields.cluster_name
                            error=problem_for(Field::ClusterName)
                        />
                    })}
                    {move || offer.get().map(|found| view! { <CostEstimate offer=found hours=fields.hours /> })}
                </fieldset>
                {move || (!general_problems.with(Vec::is_empty)).then(|| view! {
                    <div class="error-panel" role="alert">
                        <h2 class="error-panel__title">"The API did not accept the order (422)"</h2>
                        <ul>{general_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                })}
                {move || refused.get().map(|reason| view! {
                    <div class="error-panel" role="alert">
                        <h2 class="error-panel__title">"The order failed"</h2>
                        <p class="error-panel__message">{format!("The service said: “{reason}”")}</p>
                        <p class="error-panel__action">"Nothing was bought. Your form is kept: change it and try again, or pick another offer."</p>
                    </div>
                })}
                {move || failure.get().map(|failure| view! { <ErrorPanel failure on_retry=send /> })}
                {move || match stage.get() {
                    Stage::Editing => view! {
                        <div class="buttons">
                            <button type="submit" class="primary" disabled=move || !can_order()>"Review order"</button>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <section class="review" aria-labelledby="review-title">
                            <h2 id="review-title" tabindex="-1">"Review the order"</h2>
                            {summary_rows}
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
                                    disabled=move || stage.get() == Stage::Sending || !can_order()
                                    on:click=move |_| send.run(())
                                >
                                    {move || if stage.get() == Stage::Sending { "Procuring…" } else { "Procure now" }}
                                </button>
                                <button
                                    type="button"
                                    disabled=move || stage.get() == Stage::Sending
                                    on:click=move |_| stage.set(Stage::Editing)
                                >
                                    "Back to edit"
                                </button>
                            </div>
                        </section>
                    }.into_any(),
                }}
            </form>
            </Show>
        </section>
    }
}
