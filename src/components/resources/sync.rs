//! How fresh the shown state is, and the way to make it fresher.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use supply_model::resource::{sync_age, SYNC_COOLDOWN_SECS};
use supply_model::ApiTime;

use crate::state::clock::use_now;

#[component]
pub(crate) fn SyncBar(
    #[prop(into)] last_synced_at: Signal<Option<ApiTime>>,
    /// When this page last asked, to say when it asks next.
    #[prop(into)]
    last_request: Signal<Option<DateTime<Utc>>>,
    /// A request is in flight.
    #[prop(into)]
    loading: Signal<bool>,
    /// The tab is hidden, so automatic refresh waits.
    #[prop(into)]
    hidden: Signal<bool>,
    #[prop(into)] on_force: Callback<()>,
) -> impl IntoView {
    let now = use_now();
    let age = move || sync_age(last_synced_at.get().as_ref(), now.get());
    let raw = move || last_synced_at.get().map(|at| at.0).unwrap_or_default();
    let next = move || {
        if loading.get() {
            return "Refreshing…".to_owned();
        }
        if hidden.get() {
            return "Automatic refresh is paused while this tab is hidden.".to_owned();
        }
        match last_request.get() {
            Some(at) => {
                let left = SYNC_COOLDOWN_SECS - (now.get() - at).num_seconds();
                format!("Next automatic refresh in {} s.", left.max(0))
            }
            None => String::new(),
        }
    };
    view! {
        <div class="sync-bar">
            <p class="sync-age">
                <time class="last-synced" datetime=raw title=raw>{age}</time>
                <span class="muted">" · " {next}</span>
            </p>
            <button
                type="button"
                on:click=move |_| on_force.run(())
                disabled=move || loading.get()
                aria-describedby="force-refresh-hint"
            >
                "Force refresh"
            </button>
            <p id="force-refresh-hint" class="hint">
                "The service asks the vendor again only when its copy is older than "
                {SYNC_COOLDOWN_SECS} " s. Force refresh asks now."
            </p>
        </div>
    }
}
