//! `use_remote`: the newest request wins, and a failure keeps the data
//! already shown.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use supply_model::ApiFailure;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{gate, mount_fresh, settle, Answer};
use crate::api::{use_remote, ApiResult, Remote};

#[wasm_bindgen_test]
async fn the_newest_request_wins_and_a_failure_keeps_the_data() {
    let pending: Rc<RefCell<Vec<Answer<ApiResult<&'static str>>>>> = Rc::default();
    let slot = Rc::new(RefCell::new(None::<Remote<&'static str>>));
    let (p, out) = (Rc::clone(&pending), Rc::clone(&slot));
    mount_fresh(move || {
        let remote = use_remote(move || {
            let (request, answer) = gate();
            p.borrow_mut().push(answer);
            request
        });
        *out.borrow_mut() = Some(remote);
    });
    let remote = slot.borrow().unwrap();
    settle(0).await;
    assert_eq!(pending.borrow().len(), 1, "loads at once");
    assert!(remote.loading.get_untracked());
    assert!(remote.is_pending());

    remote.reload();
    settle(0).await;
    assert_eq!(pending.borrow().len(), 2);
    let newer = pending.borrow_mut().pop().unwrap();
    let older = pending.borrow_mut().pop().unwrap();
    newer.send(Ok("new"));
    settle(10).await;
    older.send(Ok("old"));
    settle(10).await;
    assert_eq!(
        remote.data.get_untracked(),
        Some("new"),
        "a late older answer is dropped"
    );
    assert!(!remote.loading.get_untracked());

    remote.reload();
    settle(0).await;
    let failing = pending.borrow_mut().pop().unwrap();
    failing.send(Err(ApiFailure::from_response(503, "", None)));
    settle(10).await;
    assert_eq!(remote.data.get_untracked(), Some("new"), "the data stays");
    assert_eq!(
        remote.error.get_untracked().and_then(|e| e.status()),
        Some(503)
    );
    assert!(!remote.is_pending());
}
