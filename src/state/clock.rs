//! One ticking "now" for every countdown and relative time on screen, so
//! a page with a thousand countdowns still has one timer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<DateTime<Utc>>);

impl Clock {
    /// Starts the one-second tick; called once by `App`.
    pub fn start() -> Self {
        let now = RwSignal::new(Utc::now());
        set_interval(
            move || {
                now.try_set(Utc::now());
            },
            Duration::from_secs(1),
        );
        Self(now)
    }
}

pub fn use_now() -> RwSignal<DateTime<Utc>> {
    use_context::<Clock>()
        .map(|clock| clock.0)
        .unwrap_or_else(|| RwSignal::new(Utc::now()))
}
