//! The router's side of `supply_model::routes`: the `<Routes>` match with
//! the table's patterns, pages read their parameters as a typed [`Route`],
//! and links are written from a [`Route`], never by hand.

use std::borrow::Cow;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::{PartialPathMatch, PathSegment, PossibleRouteMatch};
use supply_model::routes::{fit, Page, Route};
use supply_model::url::decode_component;

use super::base::at;

/// A page's pattern from the route table, for `<Route path=…>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pattern(pub Page);

impl PossibleRouteMatch for Pattern {
    fn optional(&self) -> bool {
        false
    }

    /// Matches the whole remaining path, as every route here is a leaf.
    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let params = fit(self.0.pattern(), path)?
            .into_iter()
            .map(|(name, value)| (Cow::Borrowed(name), value.to_owned()))
            .collect();
        Some(PartialPathMatch::new("", params, path))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        let segments = self.0.pattern().split('/').filter(|s| !s.is_empty());
        let before = path.len();
        path.extend(segments.map(|segment| match segment.strip_prefix(':') {
            Some(name) => PathSegment::Param(name.into()),
            None => PathSegment::Static(segment.into()),
        }));
        if path.len() == before {
            path.push(PathSegment::Unit);
        }
    }
}

/// The typed route of `page`, the page this is called from, read from the
/// router's parameters (`None` only if one is missing).
pub(crate) fn use_route(page: Page) -> Memo<Option<Route>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| Route::from_params(page, |name| p.get(name).map(|v| decode_component(&v))))
    })
}

/// One value of `page`'s route, e.g. its offer id; the default when the
/// route lacks it.
pub(crate) fn use_route_value<T>(page: Page, read: fn(&Route) -> Option<T>) -> Memo<T>
where
    T: Default + Clone + PartialEq + Send + Sync + 'static,
{
    let route = use_route(page);
    Memo::new(move |_| {
        route
            .with(|r| r.as_ref().and_then(read))
            .unwrap_or_default()
    })
}

/// An `href` for `<A>`: the route's path under the console's base.
pub(crate) fn link(route: &Route) -> String {
    at(&route.href())
}
