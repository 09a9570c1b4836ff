//! `Remote<T>`: the state of data a page loads from an API, kept in plain
//! signals. It keeps the last good answer while a reload runs or fails, so
//! a page can show both the data and a banner. Lighter in the bundle than
//! an async resource per type, which matters under the first-load budget.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use supply_model::ApiFailure;

use super::ApiResult;

pub(crate) struct Remote<T: Send + Sync + 'static> {
    /// The last answer that succeeded.
    pub(crate) data: RwSignal<Option<T>>,
    /// The last failure; cleared by the next success.
    pub(crate) error: RwSignal<Option<ApiFailure>>,
    /// A request is in flight.
    pub(crate) loading: RwSignal<bool>,
    reloads: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Remote<T> {}

impl<T: Send + Sync + 'static> Remote<T> {
    /// Asks again, e.g. from a "Retry" or "Refresh" button.
    pub(crate) fn reload(&self) {
        self.reloads.update(|n| *n += 1);
    }

    /// Nothing has been answered yet, neither data nor failure.
    pub(crate) fn is_pending(&self) -> bool {
        self.data.with(Option::is_none) && self.error.with(Option::is_none)
    }
}

/// Loads with `fetch` now, again whenever a signal `fetch` reads changes,
/// and on [`Remote::reload`]. `fetch` must make its request synchronously
/// (the API client does) so it is aborted when the page unmounts; an answer
/// that arrives after a newer request started is dropped.
pub(crate) fn use_remote<T, F, Fut>(fetch: F) -> Remote<T>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let remote = Remote {
        data: RwSignal::new(None),
        error: RwSignal::new(None),
        loading: RwSignal::new(false),
        reloads: RwSignal::new(0),
    };
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        remote.reloads.track();
        let request = fetch();
        let generation = latest.get_value() + 1;
        latest.set_value(generation);
        remote.loading.set(true);
        spawn_local(async move {
            let result = request.await;
            // The page is gone, or a newer request owns the state.
            if latest.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(value) => {
                    remote.data.try_set(Some(value));
                    remote.error.try_set(None);
                }
                Err(ApiFailure::Aborted) => {}
                Err(failure) => {
                    remote.error.try_set(Some(failure));
                }
            }
            remote.loading.try_set(false);
        });
    });
    remote
}
