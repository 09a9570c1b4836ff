//! A page drawn in two tasks: what its first screen needs at once, the rest
//! in the next task. Building a whole page in one task blocked input on a
//! slow phone for a quarter of a second (Lighthouse's mobile CPU); two
//! shorter tasks let the browser paint and answer in between.

use std::time::Duration;

use leptos::prelude::*;

use crate::state::timer::PageTimer;

/// Its children, drawn in the task after it is: for the parts of a page
/// below what the first screen needs. The timeout is the page's (its
/// owner's), cleared if the page goes first.
#[component]
pub(crate) fn DrawnLater<C>(children: TypedChildrenFn<C>) -> impl IntoView
where
    C: IntoView + 'static,
{
    let children = children.into_inner();
    let later = next_task();
    move || later.get().then(|| children())
}

/// False now, true from the task after this one: what draws something a
/// task later reads it. The timeout is its owner's, cleared if the owner
/// goes first.
pub(crate) fn next_task() -> Signal<bool> {
    let later = RwSignal::new(false);
    PageTimer::in_current_owner().set(Duration::ZERO, move || {
        later.try_set(true);
    });
    later.into()
}

/// Resolves in a later task (a zero timeout), so that what follows runs
/// after the browser has painted and answered input: for work that would
/// otherwise make one long task with the work before it.
pub(crate) async fn task_later() {
    called_back(|window, resolve| window.set_timeout_with_callback(resolve).is_ok()).await;
}

/// Resolves when the browser calls back the function `schedule` hands it
/// (`schedule` says whether it could), or at once where it could not.
pub(crate) async fn called_back(
    schedule: impl FnOnce(&web_sys::Window, &js_sys::Function) -> bool,
) {
    let mut schedule = Some(schedule);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window()
            .zip(schedule.take())
            .is_some_and(|(window, schedule)| schedule(&window, &resolve));
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
