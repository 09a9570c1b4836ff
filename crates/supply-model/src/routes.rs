//! Which page a path shows, without the router: the console loads the
//! page's code before the router starts, so the first page never waits on
//! a chunk the router may give up on.
//!
//! [`LAZY_PAGES`] is also the split build's route table: the build reads
//! its `pattern`/`chunk` pairs from this file to write the manifest that
//! lets the entry script fetch a first page's chunks beside the main module
//! (scripts/tools/split-build.mjs, which fails when the two disagree).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Offers,
    Procure,
    Status,
    Resources,
    Resource,
    K0rdent,
    Instances,
    Instance,
    /// Settings, not found, or anything else kept in the main module:
    /// settings is where every visit without a token lands, and as a
    /// chunk its code came in 61 small pieces that cost it more than the
    /// other pages gained.
    Other,
}

/// A page whose code is a lazy chunk: the path pattern (`:name` is one
/// segment) and the split point its code is declared under in `lib.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LazyPage {
    pub page: Page,
    pub pattern: &'static str,
    pub chunk: &'static str,
}

pub const LAZY_PAGES: &[LazyPage] = &[
    LazyPage {
        page: Page::Offers,
        pattern: "/",
        chunk: "offers_chunk",
    },
    LazyPage {
        page: Page::Offers,
        pattern: "/offers",
        chunk: "offers_chunk",
    },
    LazyPage {
        page: Page::Procure,
        pattern: "/offers/:offer_id/procure",
        chunk: "procure_chunk",
    },
    LazyPage {
        page: Page::Status,
        pattern: "/offers/:offer_id/status",
        chunk: "status_chunk",
    },
    LazyPage {
        page: Page::Resources,
        pattern: "/resources",
        chunk: "resources_chunk",
    },
    LazyPage {
        page: Page::Resource,
        pattern: "/resources/:resource_id",
        chunk: "resource_chunk",
    },
    LazyPage {
        page: Page::K0rdent,
        pattern: "/k0rdent",
        chunk: "k0rdent_chunk",
    },
    LazyPage {
        page: Page::Instances,
        pattern: "/k0rdent/regions/:region/projects/:project/instances",
        chunk: "instances_chunk",
    },
    LazyPage {
        page: Page::Instance,
        pattern: "/k0rdent/regions/:region/projects/:project/instances/:id",
        chunk: "instance_chunk",
    },
];

/// Whether `path`'s segments fit `pattern`'s (`:name` fits any one).
fn fits(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut have = path.split('/').filter(|s| !s.is_empty());
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if w.starts_with(':') || w == h => {}
            _ => return false,
        }
    }
}

/// The page for `path` (no query), relative to the console's base.
pub fn page_for_path(path: &str) -> Page {
    LAZY_PAGES
        .iter()
        .find(|lazy| fits(lazy.pattern, path))
        .map_or(Page::Other, |lazy| lazy.page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_pages() {
        assert_eq!(page_for_path("/"), Page::Offers);
        assert_eq!(page_for_path("/offers"), Page::Offers);
        assert_eq!(page_for_path("/offers/"), Page::Offers);
        assert_eq!(page_for_path("/offers/abc/procure"), Page::Procure);
        assert_eq!(page_for_path("/offers/abc/status"), Page::Status);
        assert_eq!(page_for_path("/offers/abc"), Page::Other);
        assert_eq!(page_for_path("/resources"), Page::Resources);
        assert_eq!(page_for_path("/resources/r1"), Page::Resource);
        assert_eq!(page_for_path("/k0rdent"), Page::K0rdent);
        assert_eq!(
            page_for_path("/k0rdent/regions/us/projects/p/instances/i"),
            Page::Instance
        );
        assert_eq!(
            page_for_path("/k0rdent/regions/us/projects/p/instances"),
            Page::Instances
        );
        assert_eq!(page_for_path("/k0rdent/regions/us/projects/p"), Page::Other);
        assert_eq!(page_for_path("/settings"), Page::Other);
        assert_eq!(page_for_path("/nowhere/at/all"), Page::Other);
        assert_eq!(page_for_path("/offers/abc/procure/more"), Page::Other);
    }

    #[test]
    fn every_lazy_page_has_a_chunk_named_after_it() {
        for lazy in LAZY_PAGES {
            assert!(lazy.chunk.ends_with("_chunk"), "{lazy:?}");
            assert_eq!(page_for_path(lazy.pattern), lazy.page, "{lazy:?}");
        }
    }
}
