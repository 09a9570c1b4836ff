//! One pending timeout owned by a page: setting it replaces the one before,
//! and it is cleared when the page unmounts, so no late callback runs.

use std::time::Duration;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub(crate) struct PageTimer(StoredValue<Option<TimeoutHandle>, LocalStorage>);

impl PageTimer {
    /// Call from a component: the timer is cleared with its owner.
    pub(crate) fn in_current_owner() -> Self {
        let timer = Self(StoredValue::new_local(None));
        on_cleanup(move || timer.cancel());
        timer
    }

    pub(crate) fn cancel(&self) {
        if let Some(pending) = self.0.try_update_value(Option::take).flatten() {
            pending.clear();
        }
    }

    /// Runs `callback` after `delay`, replacing any pending one.
    pub(crate) fn set(&self, delay: Duration, callback: impl FnOnce() + 'static) {
        self.cancel();
        let handle = set_timeout_with_handle(callback, delay);
        self.0.try_set_value(handle.ok());
    }
}
