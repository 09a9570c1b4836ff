//! `/resources/:resource_id`: one resource, worth sharing. Every field,
//! a ready connection bundle, the live cost, the sync age with a force
//! refresh, linked resources, offer history, the spec and the raw answer.
//! While the tab is visible it asks again every 30 s, in step with the
//! service's reconcile cooldown; while a delete is under way, sooner and
//! backing off, until it is deleted. Delete asks first (see
//! `components::resources::delete`).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use supply_model::deletion::{follow_wait_secs, Lifecycle};
use supply_model::polling::{PollPolicy, Settle};
use supply_model::resource::{decode_resource_answer, ResourceAnswer, SYNC_COOLDOWN_SECS};
use supply_model::routes::{param, Page, Route};
use supply_model::url::shareable_link;
use supply_model::ApiFailure;
use supply_model::ResourceAccessInfo;

use crate::api::supply;
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::later::DrawnLater;
use crate::components::resources::access::{AccessPanel, BundlePanel};
use crate::components::resources::delete::{DeleteDialog, DeleteFlow, DeletionStatus};
use crate::components::resources::facts::{field, ResourceFacts};
use crate::components::resources::raw_json::RawJson;
use crate::components::resources::related::{LinkedResources, OfferHistory};
use crate::components::resources::spec::SpecTable;
use crate::components::resources::sync::SyncBar;
use crate::state::poller::{use_polling, PollRequest};
use crate::state::route::link;
use crate::state::route::use_route_value;
use crate::state::session::use_session;
use crate::state::spend::use_spend;

/// This page's address to share: never a token, never a fragment.
fn page_link() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(shareable_link(
        &location.origin().ok()?,
        &location.pathname().ok()?,
        &location.search().ok()?,
    ))
}

/// 404 in the words of this page.
#[component]
fn NotVisible(id: String) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert">
            <h2 class="error-panel__title">"Resource not found (404)"</h2>
            <p class="error-panel__message">
                "Resource " <code>{id}</code>
                " does not exist, or it is not visible to this token."
            </p>
            <p class="error-panel__action">
                "Check the link, or sign in with the token that owns it. "
                <A href=link(&Route::Resources)>"See your resources"</A>
            </p>
        </div>
    }
}

#[component]
pub(crate) fn ResourcePage() -> impl IntoView {
    let resource_id = use_route_value(Page::Resource, |r| {
        r.param(param::RESOURCE_ID).map(str::to_owned)
    });
    // Another resource (a linked one) is a new page: nothing of this one
    // (data, a delete under way) carries over.
    move || {
        let id = resource_id.get();
        view! { <ResourceDetail id /> }
    }
}

#[component]
fn ResourceDetail(id: String) -> impl IntoView {
    let resource_id = StoredValue::new(id.clone());
    let session = use_session();
    let meter = use_spend();
    let deletion = DeleteFlow::new(&id);

    // The next request skips the service's cooldown.
    let force_next = StoredValue::new(false);
    let last_request = RwSignal::new(None::<DateTime<Utc>>);
    let data = RwSignal::new(None::<ResourceAnswer>);
    let error = RwSignal::new(None::<ApiFailure>);
    // Looks at a deletion under way, for its backoff.
    let follow_looks = StoredValue::new(0_u32);
    // One plain refresh every cooldown while visible; while deleting,
    // sooner and backing off, skipping the cooldown; none once deleted.
    let policy = PollPolicy {
        interval_secs: SYNC_COOLDOWN_SECS
            .unsigned_abs()
            .try_into()
            .unwrap_or(u32::MAX),
        ..PollPolicy::default()
    };
    let poller = use_polling(
        policy,
        move || {
            let id = resource_id.get_value();
            let force = force_next.try_update_value(std::mem::take).unwrap_or(false);
            last_request.set(Some(Utc::now()));
            Ok(Box::pin(supply::resource(
                session,
                &id,
                force,
                decode_resource_answer,
            )) as PollRequest<_>)
        },
        move |answer: &ResourceAnswer| match Lifecycle::of(&answer.resource.status) {
            Lifecycle::Deleted => Settle::Final,
            Lifecycle::Deleting => {
                let looks = follow_looks.get_value();
                follow_looks.set_value(looks + 1);
                force_next.set_value(true);
                Settle::AgainIn(follow_wait_secs(looks))
            }
            _ => Settle::Again,
        },
        move |result| match result {
            Ok(answer) => {
                data.set(Some(answer));
                error.set(None);
            }
            Err(ApiFailure::Aborted) => {}
            Err(failure) => error.set(Some(failure)),
        },
    );

    let force = Callback::new(move |()| {
        force_next.set_value(true);
        poller.restart();
    });
    let retry = Callback::new(move |()| poller.restart());

    // The meter hears of every read, a delete's progress included.
    Effect::new(move |_| {
        data.with(|a| {
            if let Some(a) = a {
                meter.feed_one(&a.resource);
            }
        })
    });
    // Access the service no longer sends once a delete began is still
    // shown, greyed out, so the user sees what ended.
    let last_access = StoredValue::new(None::<ResourceAccessInfo>);
    let resource = Memo::new(move |_| {
        data.with(|a| {
            a.as_ref().map(|a| {
                let mut shown = a.resource.clone();
                if shown.access.is_some() {
                    last_access.set_value(shown.access.clone());
                } else if Lifecycle::of(&shown.status).is_ending() {
                    shown.access = last_access.get_value();
                }
                shown
            })
        })
    });
    let ending = Signal::derive(move || {
        resource.with(|r| {
            r.as_ref()
                .is_some_and(|r| Lifecycle::of(&r.status).is_ending())
        })
    });
    let has_resource = Signal::derive(move || resource.with(Option::is_some));
    let changed = Callback::new(move |()| {
        follow_looks.set_value(0);
        force_next.set_value(true);
        poller.restart();
    });
    let raw = Signal::derive(move || data.with(|a| a.as_ref().map(|a| a.raw.clone())));
    let title = field(resource, |r| {
        r.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| r.resource_id.clone())
    });
    let synced = field(resource, |r| r.last_synced_at.clone());
    // A shared link's tab says which resource it holds.
    Effect::new(move |_| {
        let name = title
            .get()
            .unwrap_or_else(|| Page::Resource.heading().to_owned());
        document().set_title(&format!("{name} · GPU Supply Console"));
    });
    on_cleanup(|| document().set_title("GPU Supply Console"));
    let failure = move || {
        error.get().map(|failure| {
            if failure.status() == Some(404) {
                view! { <NotVisible id=resource_id.get_value() /> }.into_any()
            } else {
                view! { <ErrorPanel failure on_retry=retry /> }.into_any()
            }
        })
    };

    view! {
        <section class="page resource" aria-labelledby="resource-title">
            <p class="breadcrumb"><A href=link(&Route::Resources)>"Resources"</A></p>
            <div class="page-heading">
                <h1 id="resource-title">{move || title.get().unwrap_or_else(|| Page::Resource.heading().to_owned())}</h1>
                <CopyButton text=Signal::derive(page_link) what="link" label="Copy link" />
                // There, unseen, before the resource arrives: it is taller
                // than Copy link, and its row grew under the lead when it came.
                <button
                    type="button"
                    class="danger"
                    class:unseen=move || !has_resource.get()
                    disabled=move || ending.get() || !has_resource.get()
                    on:click=move |_| deletion.open.set(true)
                >
                    "Delete…"
                </button>
            </div>
            <p class="lead">{Page::Resource.lead()}</p>
            <DeletionStatus resource flow=deletion />
            {failure}
            <Show
                when=move || has_resource.get()
                fallback=move || error.with(Option::is_none).then(|| view! {
                    <p role="status">"Loading resource…"</p>
                })
            >
                <SyncBar
                    last_synced_at=Signal::derive(move || synced.get().flatten())
                    last_request=last_request
                    loading=poller.in_flight
                    hidden=poller.hidden
                    on_force=force
                />
                <ResourceFacts resource asked_at=deletion.asked_at />
                // The rest in two later tasks, each short enough for a
                // slow phone to paint and answer in between; nothing
                // drawn before it sits below it, so nothing moves.
                <DrawnLater>
                    <div class="cards" class:is-ended=ending>
                        <AccessPanel resource ended=ending />
                        <BundlePanel resource ended=ending />
                    </div>
                    <DrawnLater>
                        <LinkedResources resource />
                        <OfferHistory resource />
                        <SpecTable resource />
                        <RawJson raw />
                    </DrawnLater>
                </DrawnLater>
            </Show>
            <DeleteDialog resource flow=deletion on_changed=changed />
        </section>
    }
}
