//! `use_polling`: one request at a time, a poll asked for meanwhile
//! follows the answer, and a stop at a final answer or at an error only a
//! person can fix, until restarted.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use supply_model::polling::{PollPolicy, PollStop, Settle};
use supply_model::ApiFailure;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{gate, mount_fresh, settle, Answer};
use crate::api::ApiResult;
use crate::state::poller::{use_polling, PollRequest, Poller};

/// A page that polls answers the test gives; `final_at` is the first
/// answer after which nothing changes.
struct Polled {
    poller: Poller,
    pending: Rc<RefCell<Vec<Answer<ApiResult<u32>>>>>,
    sent: Rc<Cell<u32>>,
    delivered: Rc<RefCell<Vec<Result<u32, String>>>>,
}

impl Polled {
    fn answer(&self, result: ApiResult<u32>) {
        let next = self.pending.borrow_mut().remove(0);
        next.send(result);
    }
}

fn polled(final_at: u32) -> Polled {
    let pending = Rc::new(RefCell::new(Vec::new()));
    let sent = Rc::new(Cell::new(0));
    let delivered = Rc::new(RefCell::new(Vec::new()));
    let slot = Rc::new(Cell::new(None));
    let (p, s, d, out) = (
        Rc::clone(&pending),
        Rc::clone(&sent),
        Rc::clone(&delivered),
        Rc::clone(&slot),
    );
    mount_fresh(move || {
        let poller = use_polling(
            PollPolicy::default(),
            move || {
                s.set(s.get() + 1);
                let (request, answer) = gate();
                p.borrow_mut().push(answer);
                Ok(Box::pin(request) as PollRequest<u32>)
            },
            move |n: &u32| Settle::final_if(*n >= final_at),
            move |result: ApiResult<u32>| d.borrow_mut().push(result.map_err(|e| e.title())),
        );
        out.set(Some(poller));
    });
    Polled {
        poller: slot.get().unwrap(),
        pending,
        sent,
        delivered,
    }
}

#[wasm_bindgen_test]
async fn one_request_at_a_time_and_a_poll_asked_meanwhile_follows() {
    let page = polled(2);
    assert_eq!(page.sent.get(), 1, "polls at once");
    assert!(page.poller.in_flight.get_untracked());
    page.poller.poll_now();
    page.poller.poll_now();
    assert_eq!(page.sent.get(), 1, "never two in flight");

    page.answer(Ok(1));
    settle(20).await;
    assert_eq!(*page.delivered.borrow(), [Ok(1)]);
    assert_eq!(page.sent.get(), 2, "the poll asked for meanwhile, once");

    page.answer(Ok(2));
    settle(20).await;
    assert_eq!(
        page.poller.stopped.get_untracked(),
        Some(PollStop::Finished)
    );
    assert!(!page.poller.in_flight.get_untracked());
    page.poller.poll_now();
    assert_eq!(page.sent.get(), 2, "nothing after a final answer");

    page.poller.restart();
    assert_eq!(page.sent.get(), 3, "restart polls again");
}

#[wasm_bindgen_test]
async fn an_error_a_person_must_fix_stops_until_restarted() {
    let page = polled(9);
    page.answer(Err(ApiFailure::from_response(401, "", None)));
    settle(20).await;
    assert_eq!(
        page.poller.stopped.get_untracked(),
        Some(PollStop::NeedsAttention)
    );
    assert_eq!(page.delivered.borrow().len(), 1);
    assert!(page.delivered.borrow()[0].is_err());
    settle(50).await;
    assert_eq!(page.sent.get(), 1, "a refused token is not asked again");

    page.poller.restart();
    assert_eq!(page.sent.get(), 2);
    assert_eq!(page.poller.stopped.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn a_request_that_cannot_be_made_is_delivered_as_its_failure() {
    let delivered = Rc::new(RefCell::new(Vec::new()));
    let slot = Rc::new(Cell::new(None));
    let (d, out) = (Rc::clone(&delivered), Rc::clone(&slot));
    mount_fresh(move || {
        let poller = use_polling(
            PollPolicy::default(),
            || Err::<PollRequest<u32>, _>(ApiFailure::NotConfigured),
            |_: &u32| Settle::Again,
            move |result: ApiResult<u32>| d.borrow_mut().push(result.is_err()),
        );
        out.set(Some(poller));
    });
    let poller: Poller = slot.get().unwrap();
    assert_eq!(*delivered.borrow(), [true]);
    assert!(!poller.in_flight.get_untracked());
    assert_eq!(
        poller.stopped.get_untracked(),
        Some(PollStop::NeedsAttention)
    );
}
