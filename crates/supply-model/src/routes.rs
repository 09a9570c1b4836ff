//! The console's route table, written once: [`ROUTES`] pairs every page
//! with its path pattern and, for a lazy page, the split point its code is
//! declared under in `lib.rs`. [`Route`] is a typed address: [`Route::parse`]
//! reads a path, [`Route::href`] writes one, so no link spells a path by
//! hand.
//!
//! The console's `<Routes>` match with these patterns, the lazy pages are
//! preloaded from this table, and the console loads the first page's code
//! from it before the router starts, so the first page never waits on a
//! chunk the router may give up on. The split build reads the
//! `pattern`/`chunk` pairs from this file to write the manifest that lets
//! the entry script fetch a first page's chunks beside the main module
//! (scripts/tools/split-build.mjs, which fails when the two disagree).

use crate::url::{decode_component, encode_component};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/`: sends the visit on to the offers.
    Home,
    Offers,
    Procure,
    Status,
    Resources,
    Resource,
    K0rdent,
    Instances,
    Instance,
    /// Settings stays in the main module: it is where every visit without
    /// a token lands, and as a chunk its code came in 61 small pieces that
    /// cost it more than the other pages gained.
    Settings,
}

/// One row of the table: the path pattern (`:name` is one segment, named
/// after a [`param`]) and, for a page whose code is a lazy chunk, its
/// split point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRoute {
    pub page: Page,
    pub pattern: &'static str,
    pub chunk: Option<&'static str>,
    /// The page's heading as index.html's shell paints it before the wasm
    /// arrives; a `:name` word is that path parameter's value.
    pub heading: &'static str,
    /// The paragraph under the heading, painted by the shell and then by
    /// the page itself, so the first screen reads the same from the start.
    pub lead: &'static str,
}

/// The names of the path parameters in [`ROUTES`]' patterns.
pub mod param {
    pub const OFFER_ID: &str = "offer_id";
    pub const RESOURCE_ID: &str = "resource_id";
    pub const REGION: &str = "region";
    pub const PROJECT: &str = "project";
    pub const INSTANCE_ID: &str = "id";
}

// The home page redirects to the offers, so its shell is theirs. The split
// build reads these constants too, so they stay plain literals.
const OFFERS_HEADING: &str = "GPU offers";
const OFFERS_LEAD: &str = "Live offers from every vendor the service aggregates. Each offer holds for 30 minutes after it is made: procure it within that time, or refresh for new ones.";

pub const ROUTES: &[PageRoute] = &[
    // The home page only redirects, so it fetches the offers' code.
    PageRoute {
        page: Page::Home,
        pattern: "/",
        chunk: Some("offers_chunk"),
        heading: OFFERS_HEADING,
        lead: OFFERS_LEAD,
    },
    PageRoute {
        page: Page::Offers,
        pattern: "/offers",
        chunk: Some("offers_chunk"),
        heading: OFFERS_HEADING,
        lead: OFFERS_LEAD,
    },
    PageRoute {
        page: Page::Procure,
        pattern: "/offers/:offer_id/procure",
        chunk: Some("procure_chunk"),
        heading: "Procure offer",
        lead: "Check the offer, give the SSH public key to log in with and, if you need one, a cloud-init script. Nothing is ordered until you confirm, and the order is sent once.",
    },
    PageRoute {
        page: Page::Status,
        pattern: "/offers/:offer_id/status",
        chunk: Some("status_chunk"),
        heading: "Provisioning status",
        lead: "The console asks the service how the order is going until it is ready or has failed. You can leave this page: provisioning goes on without it.",
    },
    PageRoute {
        page: Page::Resources,
        pattern: "/resources",
        chunk: Some("resources_chunk"),
        heading: "Resources",
        lead: "Everything procured with this token and what it costs by the hour. Open one for its connection details; delete it when you are done, and its bill stops.",
    },
    PageRoute {
        page: Page::Resource,
        pattern: "/resources/:resource_id",
        chunk: Some("resource_chunk"),
        heading: "Resource",
        lead: "How to connect to it, what it costs by the hour, its linked resources and the offer it came from. Copy its link to share it; delete it when you are done, and its bill stops.",
    },
    PageRoute {
        page: Page::K0rdent,
        pattern: "/k0rdent",
        chunk: Some("k0rdent_chunk"),
        heading: "k0rdent instances",
        lead: "Pick a project to list its instances, or open one instance by its id: its lifecycle, GPUs, disks, network and SSH keys.",
    },
    PageRoute {
        page: Page::Instances,
        pattern: "/k0rdent/regions/:region/projects/:project/instances",
        chunk: Some("instances_chunk"),
        heading: "Instances of :project",
        lead: "The compute instances of one k0rdent project, a page at a time: their lifecycle, GPUs and age. Open one for its disks, network and SSH keys.",
    },
    PageRoute {
        page: Page::Instance,
        pattern: "/k0rdent/regions/:region/projects/:project/instances/:id",
        chunk: Some("instance_chunk"),
        heading: "k0rdent instance",
        lead: "One compute instance of a k0rdent project: its lifecycle, GPUs, disks, network interfaces, SSH keys and metadata, read again while it changes.",
    },
    PageRoute {
        page: Page::Settings,
        pattern: "/settings",
        chunk: None,
        heading: "Settings",
        lead: "The addresses and tokens of the Supply Service and k0rdent APIs. A token stays in this browser and goes only to the API it belongs to.",
    },
];

impl Page {
    /// This page's row of [`ROUTES`].
    pub fn route(self) -> Option<&'static PageRoute> {
        ROUTES.iter().find(|route| route.page == self)
    }

    /// The path pattern, e.g. `/offers/:offer_id/procure`.
    pub fn pattern(self) -> &'static str {
        self.route().map_or("/", |route| route.pattern)
    }

    /// The split point of this page's code, if it is a lazy chunk.
    pub fn chunk(self) -> Option<&'static str> {
        self.route().and_then(|route| route.chunk)
    }

    /// The paragraph under the page's heading ([`PageRoute::lead`]).
    pub fn lead(self) -> &'static str {
        self.route().map_or("", |route| route.lead)
    }

    /// The page's heading as the table spells it ([`PageRoute::heading`]),
    /// `:name` words and all; the pages' own `<h1>` use it, so the shell's
    /// and theirs cannot drift apart.
    pub fn heading(self) -> &'static str {
        self.route().map_or("", |route| route.heading)
    }

    /// The page's heading with each `:name` word replaced by `value(name)`,
    /// as the shell writes it from the address.
    pub fn heading_with(self, value: impl Fn(&str) -> String) -> String {
        self.heading()
            .split(' ')
            .map(|word| match word.strip_prefix(':') {
                Some(name) => value(name),
                None => word.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `path`'s values for `pattern`'s `:name` segments, in order, when the
/// segments fit (empty segments, as in a trailing slash, are ignored).
pub fn fit<'a>(pattern: &'static str, path: &'a str) -> Option<Vec<(&'static str, &'a str)>> {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut have = path.split('/').filter(|s| !s.is_empty());
    let mut params = Vec::new();
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(h)) => match w.strip_prefix(':') {
                Some(name) => params.push((name, h)),
                None if w == h => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

/// The page for `path` (no query), relative to the console's base.
pub fn page_for_path(path: &str) -> Option<Page> {
    ROUTES
        .iter()
        .find(|route| fit(route.pattern, path).is_some())
        .map(|route| route.page)
}

/// A console address, typed. Values are the decoded path segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Offers,
    Procure {
        offer_id: String,
    },
    Status {
        offer_id: String,
    },
    Resources,
    Resource {
        resource_id: String,
    },
    K0rdent,
    Instances {
        region: String,
        project: String,
    },
    Instance {
        region: String,
        project: String,
        id: String,
    },
    Settings,
}

impl Route {
    pub fn page(&self) -> Page {
        match self {
            Self::Home => Page::Home,
            Self::Offers => Page::Offers,
            Self::Procure { .. } => Page::Procure,
            Self::Status { .. } => Page::Status,
            Self::Resources => Page::Resources,
            Self::Resource { .. } => Page::Resource,
            Self::K0rdent => Page::K0rdent,
            Self::Instances { .. } => Page::Instances,
            Self::Instance { .. } => Page::Instance,
            Self::Settings => Page::Settings,
        }
    }

    /// The value of the path parameter `name`, if this route has one.
    pub fn param(&self, name: &str) -> Option<&str> {
        let value = match (self, name) {
            (Self::Procure { offer_id } | Self::Status { offer_id }, param::OFFER_ID) => offer_id,
            (Self::Resource { resource_id }, param::RESOURCE_ID) => resource_id,
            (Self::Instances { region, .. } | Self::Instance { region, .. }, param::REGION) => {
                region
            }
            (Self::Instances { project, .. } | Self::Instance { project, .. }, param::PROJECT) => {
                project
            }
            (Self::Instance { id, .. }, param::INSTANCE_ID) => id,
            _ => return None,
        };
        Some(value)
    }

    /// The route of `page` from its path parameters (decoded values);
    /// `None` when one it needs is missing.
    pub fn from_params(page: Page, param: impl Fn(&str) -> Option<String>) -> Option<Self> {
        Some(match page {
            Page::Home => Self::Home,
            Page::Offers => Self::Offers,
            Page::Procure => Self::Procure {
                offer_id: param(param::OFFER_ID)?,
            },
            Page::Status => Self::Status {
                offer_id: param(param::OFFER_ID)?,
            },
            Page::Resources => Self::Resources,
            Page::Resource => Self::Resource {
                resource_id: param(param::RESOURCE_ID)?,
            },
            Page::K0rdent => Self::K0rdent,
            Page::Instances => Self::Instances {
                region: param(param::REGION)?,
                project: param(param::PROJECT)?,
            },
            Page::Instance => Self::Instance {
                region: param(param::REGION)?,
                project: param(param::PROJECT)?,
                id: param(param::INSTANCE_ID)?,
            },
            Page::Settings => Self::Settings,
        })
    }

    /// Reads a path (no query), relative to the console's base.
    pub fn parse(path: &str) -> Option<Self> {
        ROUTES.iter().find_map(|route| {
            let params = fit(route.pattern, path)?;
            Self::from_params(route.page, |name| {
                params
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, value)| decode_component(value))
            })
        })
    }

    /// The path, relative to the console's base, every value encoded.
    pub fn href(&self) -> String {
        let mut path = String::new();
        for segment in self.page().pattern().split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            match segment.strip_prefix(':') {
                Some(name) => {
                    path.push_str(&encode_component(self.param(name).unwrap_or_default()))
                }
                None => path.push_str(segment),
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        path
    }

    /// [`Self::href`] with a query (without its `?`), if it is not empty.
    pub fn href_with_query(&self, query: &str) -> String {
        let path = self.href();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Route> {
        let s = |v: &str| v.to_owned();
        vec![
            Route::Home,
            Route::Offers,
            Route::Procure { offer_id: s("o-1") },
            Route::Status {
                offer_id: s("o 2/x"),
            },
            Route::Resources,
            Route::Resource {
                resource_id: s("r-1"),
            },
            Route::K0rdent,
            Route::Instances {
                region: s("us-texas-1"),
                project: s("p"),
            },
            Route::Instance {
                region: s("us-texas-1"),
                project: s("p"),
                id: s("i-1"),
            },
            Route::Settings,
        ]
    }

    #[test]
    fn paths_name_their_pages() {
        assert_eq!(page_for_path("/"), Some(Page::Home));
        assert_eq!(page_for_path("/offers"), Some(Page::Offers));
        assert_eq!(page_for_path("/offers/"), Some(Page::Offers));
        assert_eq!(page_for_path("/offers/abc/procure"), Some(Page::Procure));
        assert_eq!(page_for_path("/offers/abc/status"), Some(Page::Status));
        assert_eq!(page_for_path("/offers/abc"), None);
        assert_eq!(page_for_path("/resources"), Some(Page::Resources));
        assert_eq!(page_for_path("/resources/r1"), Some(Page::Resource));
        assert_eq!(page_for_path("/k0rdent"), Some(Page::K0rdent));
        assert_eq!(
            page_for_path("/k0rdent/regions/us/projects/p/instances/i"),
            Some(Page::Instance)
        );
        assert_eq!(
            page_for_path("/k0rdent/regions/us/projects/p/instances"),
            Some(Page::Instances)
        );
        assert_eq!(page_for_path("/k0rdent/regions/us/projects/p"), None);
        assert_eq!(page_for_path("/settings"), Some(Page::Settings));
        assert_eq!(page_for_path("/nowhere/at/all"), None);
        assert_eq!(page_for_path("/offers/abc/procure/more"), None);
    }

    #[test]
    fn every_route_writes_a_path_that_reads_back() {
        for route in samples() {
            let href = route.href();
            assert_eq!(Route::parse(&href).as_ref(), Some(&route), "{href}");
            assert_eq!(page_for_path(&href), Some(route.page()), "{href}");
        }
        assert_eq!(
            Route::Status {
                offer_id: "o 2/x".into()
            }
            .href(),
            "/offers/o%202%2Fx/status"
        );
        assert_eq!(Route::Home.href(), "/");
    }

    #[test]
    fn every_page_has_one_row_and_every_pattern_names_known_params() {
        let pages = samples().iter().map(Route::page).collect::<Vec<_>>();
        for page in &pages {
            assert_eq!(
                ROUTES.iter().filter(|r| r.page == *page).count(),
                1,
                "{page:?}"
            );
        }
        assert_eq!(ROUTES.len(), pages.len());
        for (route, row) in samples().iter().zip(ROUTES) {
            assert_eq!(route.page(), row.page);
            for name in row.pattern.split('/').filter_map(|s| s.strip_prefix(':')) {
                assert!(route.param(name).is_some(), "{row:?} names {name}");
            }
        }
    }

    #[test]
    fn lazy_pages_name_their_chunks() {
        for row in ROUTES {
            match row.chunk {
                Some(chunk) => assert!(chunk.ends_with("_chunk"), "{row:?}"),
                None => assert_eq!(row.page, Page::Settings),
            }
        }
    }

    #[test]
    fn queries_follow_the_path() {
        assert_eq!(Route::Offers.href_with_query(""), "/offers");
        assert_eq!(Route::Offers.href_with_query("a=1"), "/offers?a=1");
    }

    #[test]
    fn every_page_has_a_shell_the_split_build_can_read() {
        for row in ROUTES {
            assert!(!row.heading.is_empty() && !row.lead.is_empty(), "{row:?}");
            // The split build copies them as plain literals into JavaScript.
            for text in [row.heading, row.lead] {
                assert!(!text.contains(['"', '\\', '<', '`']), "{row:?}");
            }
            let names: Vec<_> = row
                .pattern
                .split('/')
                .filter_map(|s| s.strip_prefix(':'))
                .collect();
            for word in row.heading.split(' ').filter_map(|w| w.strip_prefix(':')) {
                assert!(names.contains(&word), "{row:?} has no :{word}");
            }
        }
        assert_eq!(Page::Home.lead(), Page::Offers.lead());
    }

    #[test]
    fn a_heading_takes_its_words_from_the_address() {
        let filled = Page::Instances.heading_with(|name| format!("<{name}>"));
        assert_eq!(filled, "Instances of <project>");
        assert_eq!(Page::Resources.heading_with(|_| String::new()), "Resources");
        assert_eq!(Page::Instances.heading(), "Instances of :project");
    }
}
