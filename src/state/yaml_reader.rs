//! The YAML parser, fetched when something needs reading as YAML: a link
//! that carries a whole spec, the spec editor once opened, a
//! `#cloud-config` script. An ordinary visit to /offers or a procure page
//! reads no YAML, so with the split build the parser (and what reads specs
//! and cloud-config with it) is a chunk of its own, not part of a page's
//! first visit.

use leptos::prelude::*;
use supply_model::cloud_init::{check_cloud_config, CheckYaml};
use supply_model::offer_spec::{OfferSpec, ReadSpec};

use crate::components::on_demand::on_demand_part;

/// What the YAML chunk holds, as pointers into it.
#[derive(Clone, Copy)]
pub(crate) struct Parsers {
    pub(crate) offer_spec: ReadSpec,
    pub(crate) cloud_config: CheckYaml,
}

const PARSERS: Parsers = Parsers {
    offer_spec: OfferSpec::from_yaml,
    cloud_config: check_cloud_config,
};

#[derive(Clone, Copy)]
enum Reader {
    NotAsked,
    Loading,
    Ready(Parsers),
    /// The chunk could not be fetched (a dropped connection, a redeploy).
    Failed,
}

thread_local! {
    /// One state for the console: the chunk loads once. Here rather than
    /// in a context the console provides, so none of this is in the main
    /// module; only the pages that read YAML carry it.
    static STATE: ArcRwSignal<Reader> = ArcRwSignal::new(Reader::NotAsked);
}

/// The parser's state, shared by every page.
#[derive(Clone, Copy)]
pub(crate) struct YamlReader;

impl YamlReader {
    fn state(self) -> ArcRwSignal<Reader> {
        STATE.with(ArcRwSignal::clone)
    }

    /// The parsers once fetched (tracked).
    pub(crate) fn parsers(self) -> Option<Parsers> {
        match self.state().get() {
            Reader::Ready(parsers) => Some(parsers),
            _ => None,
        }
    }

    /// The parsers once fetched, not tracked.
    pub(crate) fn parsers_untracked(self) -> Option<Parsers> {
        self.state().with_untracked(|state| match state {
            Reader::Ready(parsers) => Some(*parsers),
            _ => None,
        })
    }

    /// The spec reader once fetched (tracked).
    pub(crate) fn spec(self) -> Option<ReadSpec> {
        self.parsers().map(|p| p.offer_spec)
    }

    /// The spec reader once fetched, not tracked.
    pub(crate) fn spec_untracked(self) -> Option<ReadSpec> {
        self.parsers_untracked().map(|p| p.offer_spec)
    }

    /// Whether the last fetch failed (tracked).
    pub(crate) fn failed(self) -> bool {
        matches!(self.state().get(), Reader::Failed)
    }

    /// Fetches the parser unless it was asked for already. A failure is
    /// not tried again here, only by [`Self::retry`], so an effect that
    /// calls this cannot loop on a dropped connection.
    pub(crate) fn fetch(self) {
        if matches!(self.state().get_untracked(), Reader::NotAsked) {
            self.start();
        }
    }

    /// Fetches the parser again after a failure (something the user did).
    pub(crate) fn retry(self) {
        if matches!(self.state().get_untracked(), Reader::Failed) {
            self.start();
        }
    }

    fn start(self) {
        let state = self.state();
        state.set(Reader::Loading);
        leptos::task::spawn_local(async move {
            let next = match load().await {
                Some(parsers) => Reader::Ready(parsers),
                None => Reader::Failed,
            };
            state.try_set(next);
        });
    }
}

// The chunk holds the parser: what it gives is pointers into it.
on_demand_part!(
    yaml_chunk,
    fn parsers() -> Parsers {
        PARSERS
    }
);

/// Fetches the chunk (once: a later call finds it loaded) and gives its
/// parsers; `None` when it cannot be fetched.
pub(crate) async fn load() -> Option<Parsers> {
    parsers().await.ok()
}

/// The console's parser state.
pub(crate) fn use_yaml_reader() -> YamlReader {
    YamlReader
}
