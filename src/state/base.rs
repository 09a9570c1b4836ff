//! The path the console is served under: built with `--public-url
//! /console/`, `index.html` says `<base href="/console/">` and the router
//! works under `/console`. Read at start, so one build knows where it lives.

use supply_model::url::{base_path, strip_base};

/// `/console`, or `""` at the root of the host.
pub(crate) fn router_base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .map(|uri| base_path(&uri))
        .unwrap_or_default()
}

/// `scheme://host[:port]` the console was opened at.
pub(crate) fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// `path` as the router's routes see it: without the base.
pub(crate) fn route_path(path: &str) -> String {
    BASE.with(|base| strip_base(base, path).to_owned())
}

thread_local! {
    static BASE: String = router_base();
}

/// An absolute console path as a link's `href`: the router adds its base
/// when navigating, but `<A>` takes an absolute `href` as it is.
pub(crate) fn at(path: &str) -> String {
    BASE.with(|base| format!("{base}{path}"))
}
