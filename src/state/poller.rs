//! Polling owned by a page, one hook for the provisioning status, k0rdent
//! instance and resource pages: never two requests in flight, nothing
//! while the tab is hidden (and a poll at once when it is shown again),
//! backoff on errors and `Retry-After` through `supply_model::polling`,
//! and a stop at a final state or at an error only a person can fix.
//! Everything stops when the page unmounts.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use supply_model::polling::{PollOutcome, PollPolicy, PollState, PollStop, Settle};
use supply_model::ApiFailure;

use super::timer::PageTimer;
use crate::api::ApiResult;

/// A request the poller awaits.
pub(crate) type PollRequest<T> = Pin<Box<dyn Future<Output = ApiResult<T>>>>;

pub(crate) fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// The page's handle on its polling.
#[derive(Clone, Copy)]
pub(crate) struct Poller {
    /// A request is on its way.
    pub(crate) in_flight: RwSignal<bool>,
    /// Why polling stopped, if it did.
    pub(crate) stopped: RwSignal<Option<PollStop>>,
    /// The tab is hidden, so polling waits.
    pub(crate) hidden: RwSignal<bool>,
    poll: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
}

impl Poller {
    /// Polls now unless polling finished or the tab is hidden; the next
    /// poll is then planned from the answer. Asked while a request is in
    /// flight, it polls again as soon as that one is answered.
    pub(crate) fn poll_now(&self) {
        // Cloned out first: the poll must not run while the slot is borrowed.
        if let Some(poll) = self.poll.try_with_value(Clone::clone).flatten() {
            poll();
        }
    }

    /// Starts again after a stop, e.g. from "Retry" or "Refresh now".
    pub(crate) fn restart(&self) {
        self.stopped.set(None);
        self.poll_now();
    }
}

/// Starts polling at once, under the current (page) owner.
///
/// `request` makes the request synchronously, so leaving the page aborts
/// it, or says why none can be made; `settle` tells from an answer when to
/// ask again, if ever; `deliver` hands every result to the page.
pub(crate) fn use_polling<T: 'static>(
    policy: PollPolicy,
    request: impl Fn() -> Result<PollRequest<T>, ApiFailure> + 'static,
    settle: impl Fn(&T) -> Settle + 'static,
    deliver: impl Fn(ApiResult<T>) + 'static,
) -> Poller {
    let owner = Owner::current();
    let in_flight = RwSignal::new(false);
    let stopped = RwSignal::new(None::<PollStop>);
    let schedule = StoredValue::new(PollState::default());
    let timer = PageTimer::in_current_owner();
    let hidden = RwSignal::new(tab_hidden());
    // Asked for while a request was in flight: one more poll follows it.
    let again = StoredValue::new(false);
    let poller = Poller {
        in_flight,
        stopped,
        hidden,
        poll: StoredValue::new_local(None),
    };

    // Only the newest plan may poll: a poll started by hand or an older
    // timer that slipped through must not add a second schedule.
    let plan = StoredValue::new(0_u64);
    let cancel_plan = move || {
        plan.try_update_value(|n| *n += 1);
        timer.cancel();
    };
    let plan_next = move |wait: u32| {
        cancel_plan();
        // Hidden tabs do not poll; becoming visible polls at once.
        if tab_hidden() {
            return;
        }
        let mine = plan.get_value();
        timer.set(Duration::from_secs(u64::from(wait)), move || {
            if plan.try_get_value() == Some(mine) {
                poller.poll_now();
            }
        });
    };
    let after = move |outcome: PollOutcome<'_>| {
        let next = schedule
            .try_update_value(|state| state.after(outcome, policy))
            .unwrap_or(Err(PollStop::Finished));
        move || match next {
            Ok(wait) => plan_next(wait),
            Err(stop) => {
                stopped.try_set(Some(stop));
            }
        }
    };

    let settle = Rc::new(settle);
    let deliver = Rc::new(deliver);
    let poll = move || {
        // One request at a time, none after the end, none while hidden.
        if stopped.get_untracked() == Some(PollStop::Finished) || tab_hidden() {
            return;
        }
        if in_flight.get_untracked() {
            again.set_value(true);
            return;
        }
        again.set_value(false);
        // Made under the page's owner so leaving the page aborts it.
        let Some(made) = owner.as_ref().map(|owner| owner.with(&request)) else {
            return;
        };
        cancel_plan();
        let future = match made {
            Ok(future) => future,
            Err(failure) => {
                let then = after(PollOutcome::Failed(&failure));
                deliver(Err(failure));
                then();
                return;
            }
        };
        in_flight.set(true);
        stopped.set(None);
        let settle = Rc::clone(&settle);
        let deliver = Rc::clone(&deliver);
        spawn_local(async move {
            let result = future.await;
            if in_flight.try_set(false).is_some() {
                return; // the page is gone
            }
            let then = match &result {
                Ok(answer) => after(PollOutcome::Answer(settle(answer))),
                Err(failure) => after(PollOutcome::Failed(failure)),
            };
            deliver(result);
            then();
            if again.try_get_value() == Some(true) && stopped.get_untracked().is_none() {
                poller.poll_now();
            }
        });
    };
    poller.poll.set_value(Some(Rc::new(poll)));
    poller.poll_now();

    let visibility = window_event_listener_untyped("visibilitychange", move |_| {
        hidden.set(tab_hidden());
        if !tab_hidden() && stopped.get_untracked().is_none() {
            poller.poll_now();
        }
    });
    let online = window_event_listener_untyped("online", move |_| poller.poll_now());
    on_cleanup(move || {
        visibility.remove();
        online.remove();
    });
    poller
}
