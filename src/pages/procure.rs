//! `/offers/:offer_id/procure`: the launch form. The offer is asked of
//! `GET /offers/{offer_id}` (a shared link works) and its `status` said in
//! words; one that can no longer be ordered (procured, failed, expired)
//! comes with equivalents. The form saves itself on the device, a review
//! step sums up the order and copies it as curl, and every failure keeps
//! what was typed: 410 offers equivalents, 422 lands on the fields, 401
//! goes to settings and back.

use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::procure_form::Field;
use supply_model::routes::{Page, Route};

use crate::components::alert::{Alert, AlertAction, AlertMessage};
use crate::components::error_panel::ErrorPanel;
use crate::components::later::DrawnLater;
use crate::components::procure::cloud_init_editor::CloudInitEditor;
use crate::components::procure::cost_estimate::CostEstimate;
use crate::components::procure::offer_lookup::{OfferLookup, OrderedOffer};
use crate::components::procure::procure_form::ProcureForm;
use crate::components::procure::review_step::ReviewStep;
use crate::components::procure::ssh_key_field::SshKeyField;
use crate::components::text_field::TextField;
use crate::state::route::{link, use_route_value};

#[component]
pub(crate) fn ProcurePage() -> impl IntoView {
    let offer_id = use_route_value(Page::Procure, |r| match r {
        Route::Procure { offer_id } => Some(offer_id.clone()),
        _ => None,
    });
    // An equivalent picked from this page is a new order with a view of
    // its own; the form's fields come back from the draft.
    move || {
        let offer_id = offer_id.get();
        view! { <ProcureOrder offer_id /> }
    }
}

#[component]
fn ProcureOrder(offer_id: String) -> impl IntoView {
    let offer = OrderedOffer::new(offer_id.clone());
    let form = ProcureForm::new(offer, offer_id);
    view! {
        <section class="page procure" aria-labelledby="procure-title">
            <div class="page-heading">
                <h1 id="procure-title">{Page::Procure.heading()}</h1>
                <A href=link(&Route::Offers)>"Back to offers"</A>
            </div>
            <p class="lead">{Page::Procure.lead()}</p>
            <OfferLookup state=offer />
            // The form appears with the offer (or the failure to find it),
            // not before, so nothing on screen moves under the pointer; and
            // in the task after the offer's details, last on the page, so a
            // slow phone draws the two in two shorter tasks.
            <Show when=move || offer.is_settled()>
                <DrawnLater>
                    <OrderForm form offer />
                </DrawnLater>
            </Show>
        </section>
    }
}

#[component]
fn OrderForm(form: ProcureForm, offer: OrderedOffer) -> impl IntoView {
    let fields = form.fields;
    let cluster = move || offer.is_cluster();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.review(cluster());
    };
    view! {
        <form class="procure-form" on:submit=on_submit novalidate=true>
            <fieldset class="plain" disabled=move || form.reviewing.get() || form.sending.get()>
                <legend class="visually-hidden">"Order details"</legend>
                <SshKeyField value=fields.ssh_public_key error=form.problem_for(Field::SshPublicKey) />
                <CloudInitEditor value=fields.cloud_init server_error=form.problem_for(Field::CloudInit) />
                <TextField
                    id="resource-name"
                    label="Resource name"
                    hint="Optional: letters, digits, '-', '_' and '.', up to 63 characters."
                    kind="text"
                    value=fields.resource_name
                    error=form.problem_for(Field::ResourceName)
                />
                {move || cluster().then(|| view! {
                    <TextField
                        id="cluster-name"
                        label="Cluster name"
                        hint="Optional, for this cluster offer; the service picks one if empty."
                        kind="text"
                        value=fields.cluster_name
                        error=form.problem_for(Field::ClusterName)
                    />
                })}
                {move || offer.offer.get().map(|found| view! { <CostEstimate offer=found hours=fields.hours /> })}
            </fieldset>
            <OrderProblems form offer />
            {move || if form.reviewing.get() || form.sending.get() {
                view! { <ReviewStep form offer /> }.into_any()
            } else {
                view! {
                    <div class="buttons">
                        <button type="submit" class="primary" disabled=move || !offer.can_order()>"Review order"</button>
                    </div>
                }.into_any()
            }}
        </form>
    }
}

/// What the service said against the last order: details of a 422 that
/// name no field, a failed order, or a failed call.
#[component]
fn OrderProblems(form: ProcureForm, offer: OrderedOffer) -> impl IntoView {
    let general = move || {
        let problems = form.general_problems.get();
        (!problems.is_empty()).then(|| {
            view! {
                <Alert title="The API did not accept the order (422)">
                    <AlertMessage slot list=true>
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </AlertMessage>
                </Alert>
            }
        })
    };
    let refused = move || {
        form.refused.get().map(|reason| view! {
            <Alert title="The order failed">
                <AlertMessage slot>{format!("The service said: “{reason}”")}</AlertMessage>
                <AlertAction slot>"Nothing was bought. Your form is kept: change it and try again, or pick another offer."</AlertAction>
            </Alert>
        })
    };
    let failed = move || {
        form.failure.get().map(|failure| {
            let retry = Callback::new(move |()| form.send(offer.is_cluster()));
            view! { <ErrorPanel failure on_retry=retry /> }
        })
    };
    view! { {general} {refused} {failed} }
}
