//! Notices a redeploy while a tab is open: the deployed `index.html` then
//! names another build directory than the one this page runs. Looked at on
//! navigation (at most once a minute) and whenever a page's code fails to
//! load, so the console can offer to reload into the new version.

use leptos::prelude::*;
use supply_model::build::{build_id, check_due, is_newer_build};
use web_sys::RequestCache;

#[derive(Clone, Copy)]
pub(crate) struct BuildCheck {
    /// The build this page runs; none for a build that is not split (a
    /// development build), which then never looks.
    running: StoredValue<Option<String>>,
    last_look_ms: StoredValue<Option<f64>>,
    newer: RwSignal<bool>,
}

impl BuildCheck {
    pub(crate) fn new() -> Self {
        Self {
            running: StoredValue::new(running_build()),
            last_look_ms: StoredValue::new(None),
            newer: RwSignal::new(false),
        }
    }

    /// Whether a newer build than this page's has been deployed.
    pub(crate) fn newer(&self) -> Signal<bool> {
        self.newer.into()
    }

    /// After a navigation: looks when a minute has passed since the last.
    pub(crate) fn on_navigation(self) {
        let now = js_sys::Date::now();
        if self.newer.get_untracked() || !check_due(self.last_look_ms.get_value(), now) {
            return;
        }
        leptos::task::spawn_local(async move {
            self.look().await;
        });
    }

    /// Looks now, and says whether a newer build is out.
    pub(crate) async fn look(self) -> bool {
        let Some(running) = self.running.get_value() else {
            return false;
        };
        self.last_look_ms.set_value(Some(js_sys::Date::now()));
        let newer = published_index()
            .await
            .is_some_and(|index| is_newer_build(&running, &index));
        if newer {
            self.newer.try_set(true);
        }
        newer
    }
}

impl Default for BuildCheck {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn use_build_check() -> BuildCheck {
    use_context::<BuildCheck>().unwrap_or_default()
}

/// The build directory of this page's entry script.
fn running_build() -> Option<String> {
    let script = web_sys::window()?
        .document()?
        .query_selector("script[type=module][src*='pkg-']")
        .ok()??;
    build_id(&script.get_attribute("src")?).map(str::to_owned)
}

/// The deployed `index.html`, past any cache: relative to the document's
/// base, so a console served under a sub-path asks its own.
async fn published_index() -> Option<String> {
    let response = gloo_net::http::Request::get("index.html")
        .cache(RequestCache::NoCache)
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.text().await.ok()
}

/// Reloads the console at the address it shows, into whatever build is
/// deployed now. Drafts live in the browser's storage and survive it.
pub(crate) fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
