//! The lazy pages' code before it is needed, once the console has a token
//! (signed out, every page is settings): a page's code when a link to it
//! is about to be followed, and every page's in the background once the
//! visit has settled.
//!
//! The first seconds of a visit are the page's own: its answers arrive
//! and draw, and the user starts reading or typing. Fetching and
//! instantiating every other page then put a long task per page on a slow
//! phone's main thread, just as the page was being used. So the
//! background preload waits `BACKGROUND_DELAY_MS`, and meanwhile a link
//! under the pointer, under a finger or given the focus fetches its page's
//! code in the moment before the click.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;
use supply_model::routes::{page_for_path, Page, ROUTES};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::components::later::called_back;
use crate::state::base::route_path;
use crate::state::session::Session;

/// How long after the console has a token the background preload starts.
const BACKGROUND_DELAY_MS: u64 = 10_000;
/// The longest a background preload waits for the browser to be idle.
const IDLE_WAIT_MS: u32 = 2000;

/// Loads the code of a lazy page, so opening it does not wait; a failure
/// here is met again, and shown, when the page opens.
pub(crate) async fn preload(page: Page) {
    use leptos_router::LazyRoute;
    match page {
        Page::Home | Page::Offers => crate::OffersRoute::preload().await,
        Page::Procure => crate::ProcureRoute::preload().await,
        Page::Status => crate::StatusRoute::preload().await,
        Page::Resources => crate::ResourcesRoute::preload().await,
        Page::Resource => crate::ResourceRoute::preload().await,
        Page::K0rdent => crate::K0rdentRoute::preload().await,
        Page::Instances => crate::InstancesRoute::preload().await,
        Page::Instance => crate::InstanceRoute::preload().await,
        Page::Settings => {}
    }
}

/// Preloads on intent and in the background from when the supply token is
/// there: at once for a signed-in visit, else when one is saved.
pub(crate) fn preload_when_signed_in(session: Session) {
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if session.token().with(Option::is_some) && !started.get_value() {
            started.set_value(true);
            preload_on_intent();
            preload_in_background();
        }
    });
}

/// A link the pointer comes over (a finger's touch too) or that takes the
/// focus: its page's code is fetched then, some 100 ms or more before the
/// click that follows, once per page.
fn preload_on_intent() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_intent = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        if let Some(page) = linked_page(&event).filter(|page| first_ask(*page)) {
            leptos::task::spawn_local(preload(page));
        }
    });
    for kind in ["pointerover", "focusin"] {
        let _ = document.add_event_listener_with_callback(kind, on_intent.as_ref().unchecked_ref());
    }
    // The listeners last as long as the console.
    on_intent.forget();
}

/// The console page of the link the event happened in, if any.
fn linked_page(event: &web_sys::Event) -> Option<Page> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let href = target
        .closest("a[href]")
        .ok()
        .flatten()?
        .get_attribute("href")?;
    let path = href.split(['?', '#']).next()?;
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    page_for_path(&route_path(path))
}

thread_local! {
    static ASKED: RefCell<Vec<Page>> = const { RefCell::new(Vec::new()) };
}

/// True the first time a page is asked for on intent.
fn first_ask(page: Page) -> bool {
    ASKED.with(|asked| {
        let mut asked = asked.borrow_mut();
        let first = !asked.contains(&page);
        if first {
            asked.push(page);
        }
        first
    })
}

/// Every lazy page's code, one page at a time, each when the browser is
/// next idle: instantiating a page's modules is a task of its own, kept
/// out of the way of the page being read or typed into. The parts of
/// pages fetched when first shown (components/on_demand.rs) and the YAML
/// parser come last, so they open at once.
fn preload_in_background() {
    set_timeout(
        || {
            leptos::task::spawn_local(async {
                let mut fetched = Vec::new();
                for route in ROUTES {
                    if let Some(chunk) = route.chunk.filter(|c| !fetched.contains(c)) {
                        fetched.push(chunk);
                        browser_idle().await;
                        preload(route.page).await;
                    }
                }
                // The parts fetched when first needed, each when next idle,
                // as the pages are. A failure is met again, and said, there.
                browser_idle().await;
                let _ = crate::components::offers::spec_panel::preload().await;
                browser_idle().await;
                let _ = crate::components::offers::compare::preload().await;
                browser_idle().await;
                let _ = crate::state::yaml_reader::preload().await;
            })
        },
        Duration::from_millis(BACKGROUND_DELAY_MS),
    );
}

/// Resolves when the browser next has idle time, or after `IDLE_WAIT_MS`
/// at the latest; at once where there is no `requestIdleCallback`.
async fn browser_idle() {
    called_back(|window, resolve| {
        let has_idle_callback =
            js_sys::Reflect::has(window, &"requestIdleCallback".into()).unwrap_or(false);
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(IDLE_WAIT_MS);
        has_idle_callback
            && window
                .request_idle_callback_with_options(resolve, &options)
                .is_ok()
    })
    .await;
}
