//! `/resources/:resource_id`: one resource, worth sharing. Every field,
//! a ready connection bundle, the live cost, the sync age with a force
//! refresh, linked resources, offer history, the spec and the raw answer.
//! While the tab is visible it asks again every 30 s, in step with the
//! service's reconcile cooldown.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use supply_model::resource::{decode_resource_answer, ResourceAnswer, SYNC_COOLDOWN_SECS};
use supply_model::url::shareable_link;
use supply_model::ApiFailure;

use crate::api::{supply, use_remote};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::resources::access::{AccessPanel, BundlePanel};
use crate::components::resources::facts::{field, ResourceFacts};
use crate::components::resources::raw_json::RawJson;
use crate::components::resources::related::{LinkedResources, OfferHistory};
use crate::components::resources::spec::SpecTable;
use crate::components::resources::sync::SyncBar;
use crate::state::base::at;
use crate::state::session::use_session;
use crate::state::timer::PageTimer;

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

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
                <A href=at("/resources")>"See your resources"</A>
            </p>
        </div>
    }
}

#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let resource_id = Memo::new(move |_| params.with(|p| p.get("resource_id").unwrap_or_default()));
    let session = use_session();

    // The next request skips the service's cooldown.
    let force_next = StoredValue::new(false);
    let last_request = RwSignal::new(None::<DateTime<Utc>>);
    let answer = use_remote(move || {
        let id = resource_id.get();
        let force = force_next.try_update_value(std::mem::take).unwrap_or(false);
        last_request.set(Some(Utc::now()));
        supply::resource(session, &id, force, decode_resource_answer)
    });
    // Another resource (a linked one) replaces, never mixes with, this one.
    Effect::new(move |previous: Option<String>| {
        let id = resource_id.get();
        if previous.is_some_and(|p| p != id) {
            answer.data.set(None);
            answer.error.set(None);
        }
        id
    });

    // One plain refresh every cooldown while visible; hidden tabs wait and
    // catch up as soon as they are shown.
    let hidden = RwSignal::new(tab_hidden());
    let timer = PageTimer::in_current_owner();
    let plan = move || {
        // A resource that is not there, or a token that is refused, will
        // not change by asking again; Retry is on the page.
        let hopeless = answer.error.with_untracked(|e| {
            e.as_ref()
                .is_some_and(|e| e.status() == Some(404) || e.is_auth())
        });
        let Some(asked) = last_request.get_untracked() else {
            return;
        };
        if hidden.get_untracked() || hopeless {
            timer.cancel();
            return;
        }
        let since = (Utc::now() - asked).num_milliseconds();
        let retry_after = answer.error.with_untracked(|e| match e {
            Some(ApiFailure::Http {
                retry_after_secs: Some(secs),
                ..
            }) => i64::from(*secs) * 1000,
            _ => 0,
        });
        let wait = (SYNC_COOLDOWN_SECS * 1000)
            .max(retry_after)
            .saturating_sub(since)
            .max(0);
        timer.set(Duration::from_millis(wait.unsigned_abs()), move || {
            if hidden.try_get_untracked() == Some(false) {
                answer.reload();
            }
        });
    };
    Effect::new(move |_| {
        if !answer.loading.get() {
            plan();
        }
    });
    let visibility = window_event_listener_untyped("visibilitychange", move |_| {
        hidden.set(tab_hidden());
        if !answer.loading.get_untracked() {
            plan();
        }
    });
    on_cleanup(move || visibility.remove());

    let force = Callback::new(move |()| {
        force_next.set_value(true);
        answer.reload();
    });
    let retry = Callback::new(move |()| answer.reload());

    let resource = Memo::new(move |_| answer.data.with(|a| a.as_ref().map(|a| a.resource.clone())));
    let raw = Signal::derive(move || {
        answer
            .data
            .with(|a| a.as_ref().map(|a: &ResourceAnswer| a.raw.clone()))
    });
    let title = field(resource, |r| {
        r.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| r.resource_id.clone())
    });
    let synced = field(resource, |r| r.last_synced_at.clone());
    // A shared link's tab says which resource it holds.
    Effect::new(move |_| {
        let name = title.get().unwrap_or_else(|| "Resource".to_owned());
        document().set_title(&format!("{name} · GPU Supply Console"));
    });
    on_cleanup(|| document().set_title("GPU Supply Console"));
    let failure = move || {
        answer.error.get().map(|failure| {
            if failure.status() == Some(404) {
                view! { <NotVisible id=resource_id.get_untracked() /> }.into_any()
            } else {
                view! { <ErrorPanel failure on_retry=retry /> }.into_any()
            }
        })
    };

    view! {
        <section class="page resource" aria-labelledby="resource-title">
            <p class="breadcrumb"><A href=at("/resources")>"Resources"</A></p>
            <div class="page-heading">
                <h1 id="resource-title">{move || title.get().unwrap_or_else(|| "Resource".to_owned())}</h1>
                <CopyButton text=Signal::derive(page_link) what="link" label="Copy link" />
            </div>
            {failure}
            <Show
                when=move || resource.with(Option::is_some)
                fallback=move || answer.error.with(Option::is_none).then(|| view! {
                    <p role="status">"Loading resource…"</p>
                })
            >
                <SyncBar
                    last_synced_at=Signal::derive(move || synced.get().flatten())
                    last_request=last_request
                    loading=answer.loading
                    hidden=hidden
                    on_force=force
                />
                <ResourceFacts resource />
                <div class="cards">
                    <AccessPanel resource />
                    <BundlePanel resource />
                </div>
                <LinkedResources resource />
                <OfferHistory resource />
                <SpecTable resource />
            </Show>
            <Show when=move || raw.with(Option::is_some)>
                <RawJson raw />
            </Show>
        </section>
    }
}
