//! Which page a path shows, without the router: the console loads the
//! page's code before the router starts, so the first page never waits on
//! a chunk the router may give up on.

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
    /// Settings, not found, or anything else kept in the main module.
    Other,
}

/// The page for `path` (no query), relative to the console's base.
pub fn page_for_path(path: &str) -> Page {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] | ["offers"] => Page::Offers,
        ["offers", _, "procure"] => Page::Procure,
        ["offers", _, "status"] => Page::Status,
        ["resources"] => Page::Resources,
        ["resources", _] => Page::Resource,
        ["k0rdent"] => Page::K0rdent,
        ["k0rdent", "regions", _, "projects", _, "instances"] => Page::Instances,
        ["k0rdent", "regions", _, "projects", _, "instances", _] => Page::Instance,
        _ => Page::Other,
    }
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
    }
}
