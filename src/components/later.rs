//! A page drawn in two tasks: what its first screen needs at once, the rest
//! in the next task. Building a whole page in one task blocked input on a
//! slow phone for a quarter of a second (Lighthouse's mobile CPU); two
//! shorter tasks let the browser paint and answer in between.

use std::time::Duration;

use leptos::prelude::*;

use crate::state::timer::PageTimer;

/// False while the page is first built, true from the next task on: the
/// parts below the first screen wait on it. Call from the page's component:
/// the timeout is the page's, cleared if it goes first.
pub(crate) fn drawn_later() -> Signal<bool> {
    let later = RwSignal::new(false);
    PageTimer::in_current_owner().set(Duration::ZERO, move || {
        later.try_set(true);
    });
    later.read_only().into()
}
