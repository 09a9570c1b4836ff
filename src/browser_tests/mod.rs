//! Hooks and stateful components run in a real browser (headless Chromium
//! through wasm-bindgen-test-runner): `cargo test --target
//! wasm32-unknown-unknown -p supply-console`. They catch in seconds what
//! the end-to-end suite would catch in minutes.

// Tests may panic; clippy.toml's allow-*-in-tests does not see
// #[wasm_bindgen_test] functions or the helpers they share.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod error_panel;
mod modal;
mod poller;
mod remote;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` in a fresh element of the page and returns the element.
fn mount_fresh<F, V>(view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    // The handle owns the reactive tree: keep it for the test's life.
    std::mem::forget(leptos::mount::mount_to(host.clone(), view));
    host
}

/// Waits, 10 ms at a time and at most 2 s, until `done` holds: for what
/// the browser does in a task of its own (a dialog's `close` event), which
/// a slow machine may run after a short timer.
async fn settle_until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        settle(10).await;
    }
    panic!("{what}: not within 2 s");
}

/// Lets spawned tasks, effects and timers of `ms` or less run.
async fn settle(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

/// A request that stays pending until the test answers it.
struct Gate<T> {
    slot: Rc<RefCell<(Option<T>, Option<Waker>)>>,
}

/// The test's end of a [`Gate`].
struct Answer<T> {
    slot: Rc<RefCell<(Option<T>, Option<Waker>)>>,
}

fn gate<T>() -> (Gate<T>, Answer<T>) {
    let slot = Rc::new(RefCell::new((None, None)));
    (
        Gate {
            slot: Rc::clone(&slot),
        },
        Answer { slot },
    )
}

impl<T> Answer<T> {
    fn send(self, value: T) {
        let mut slot = self.slot.borrow_mut();
        slot.0 = Some(value);
        if let Some(waker) = slot.1.take() {
            waker.wake();
        }
    }
}

impl<T> Future for Gate<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.borrow_mut();
        match slot.0.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
