//! The states an order went through, as this browser saw them, kept on the
//! device so a reload does not forget them.

use chrono::Utc;
use leptos::prelude::*;
use supply_model::time::relative_to;
use supply_model::timeline::Timeline;

use crate::state::clock::use_now;
use crate::state::storage::{self, Area};

fn timeline_key(offer_id: &str) -> String {
    format!("supply.timeline.{offer_id}")
}

/// The offer's timeline, restored from the device.
pub(crate) fn kept_timeline(offer_id: &str) -> RwSignal<Timeline> {
    RwSignal::new(Timeline::from_json(
        storage::read(Area::Local, &timeline_key(offer_id)).as_deref(),
    ))
}

/// Notes `state` as seen now; a change is saved on the device.
pub(crate) fn observe(timeline: RwSignal<Timeline>, offer_id: &str, state: &str) {
    let changed = timeline
        .try_update(|t| t.observe(state, Utc::now()))
        .unwrap_or(false);
    if changed {
        timeline
            .with_untracked(|t| storage::write(Area::Local, &timeline_key(offer_id), &t.to_json()));
    }
}

#[component]
pub(crate) fn StatusTimeline(timeline: RwSignal<Timeline>) -> impl IntoView {
    let now = use_now();
    let items = move || {
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
    view! { <ol class="timeline">{items}</ol> }
}
