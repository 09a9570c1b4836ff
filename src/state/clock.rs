//! One ticking "now" for every countdown and relative time on screen, so
//! a page with a thousand countdowns still has one timer.
//!
//! It is the page's, not a context's: started by its first reader and
//! never stopped, so no component can be given a clock that does not tick.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;

thread_local! {
    /// Reference-counted rather than owned by a component, so it outlives
    /// the one that happened to start it.
    static NOW: ArcRwSignal<DateTime<Utc>> = start();
}

/// Starts the one-second tick.
fn start() -> ArcRwSignal<DateTime<Utc>> {
    let now = ArcRwSignal::new(Utc::now());
    let tick = now.clone();
    set_interval(move || tick.set(Utc::now()), Duration::from_secs(1));
    now
}

/// The current time, updated every second.
pub(crate) fn use_now() -> ReadSignal<DateTime<Utc>> {
    NOW.with(|now| ReadSignal::from(now.read_only()))
}
