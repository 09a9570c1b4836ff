//! What the discovery calls said (`/available_gpus` and the other four),
//! kept for the browser session (in its storage, so a reload does not ask
//! again) with when it was asked, per base URL. A call that fails, or
//! answers a shape the console does not know, leaves the documented values
//! in its place, marked as such.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use supply_model::discovery::{
    choices_note, documented_contracts, documented_gpus, documented_regions,
    documented_storage_classes, documented_vendors, GpuCatalog,
};
use supply_model::supply_calls::Discovery as Call;
use supply_model::time::relative_to;
use supply_model::ApiFailure;

use crate::api::supply;
use crate::state::session::Session;
use crate::state::storage::{self, Area};

fn storage_key(base_url: &str) -> String {
    format!("supply.discovery.{base_url}")
}

/// One choice list and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Known<T> {
    pub(crate) value: T,
    /// When the service answered; `None` for the documented fallback.
    #[serde(default, with = "supply_model::time::optional_rfc3339")]
    pub(crate) fetched_at: Option<DateTime<Utc>>,
    /// Why the fallback stands in, when it does.
    pub(crate) fallback_reason: Option<String>,
}

impl<T> Known<T> {
    fn documented(value: T) -> Self {
        Self {
            value,
            fetched_at: None,
            fallback_reason: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Choices {
    pub(crate) gpus: Known<GpuCatalog>,
    pub(crate) vendors: Known<Vec<String>>,
    pub(crate) regions: Known<Vec<String>>,
    pub(crate) contracts: Known<Vec<String>>,
    pub(crate) storage_classes: Known<Vec<String>>,
}

impl Default for Choices {
    fn default() -> Self {
        Self {
            gpus: Known::documented(documented_gpus()),
            vendors: Known::documented(documented_vendors()),
            regions: Known::documented(documented_regions()),
            contracts: Known::documented(documented_contracts()),
            storage_classes: Known::documented(documented_storage_classes()),
        }
    }
}

impl Choices {
    /// Where the choices come from, for the offers page (see
    /// [`choices_note`]).
    pub(crate) fn note(&self, now: DateTime<Utc>) -> Option<String> {
        let fallbacks: Vec<(&str, &str)> = [
            ("GPU", &self.gpus.fallback_reason),
            ("vendor", &self.vendors.fallback_reason),
            ("region", &self.regions.fallback_reason),
            ("contract", &self.contracts.fallback_reason),
        ]
        .into_iter()
        .filter_map(|(what, reason)| Some((what, reason.as_deref()?)))
        .collect();
        let asked = self.gpus.fetched_at.map(|at| relative_to(at, now));
        choices_note(&fallbacks, asked)
    }
}

/// The app-wide discovery state: the choices, for which base URL, and
/// whether the GPU list (which the first query waits for) has been settled.
#[derive(Clone, Copy)]
pub(crate) struct DiscoveryState {
    pub(crate) choices: RwSignal<Choices>,
    /// The base URL the choices were asked of, once the GPU call settled.
    settled_for: RwSignal<Option<String>>,
    asking_for: StoredValue<Option<String>>,
}

impl DiscoveryState {
    pub(crate) fn new() -> Self {
        Self {
            choices: RwSignal::new(Choices::default()),
            settled_for: RwSignal::new(None),
            asking_for: StoredValue::new(None),
        }
    }

    /// The GPU families to ask for, once `/available_gpus` has answered or
    /// failed for this session's base URL; `None` while it is asked.
    pub(crate) fn families(&self, session: Session) -> Option<Vec<String>> {
        let base = session.base_url().get();
        (self.settled_for.get().as_deref() == Some(base.as_str()))
            .then(|| self.choices.with(|c| c.gpus.value.family_names()))
    }

    /// Asks the five calls, unless they were asked of this base URL already.
    /// The requests belong to the calling page: if it unmounts first, the
    /// next page asks again.
    pub(crate) fn ensure(&self, session: Session) {
        let base = session.base_url().get_untracked();
        let done = self.settled_for.get_untracked().as_deref() == Some(base.as_str());
        if done || self.asking_for.get_value().as_deref() == Some(base.as_str()) {
            return;
        }
        // Asked earlier in this browser session, and the GPU list came
        // from the service: keep it.
        let kept = storage::read(Area::Session, &storage_key(&base))
            .and_then(|raw| serde_json::from_str::<Choices>(&raw).ok())
            .filter(|kept| kept.gpus.fetched_at.is_some());
        if let Some(kept) = kept {
            self.choices.set(kept);
            self.settled_for.set(Some(base));
            return;
        }
        self.asking_for.set_value(Some(base.clone()));
        let state = *self;
        let keep = move |base: &str| {
            if let Some(choices) = state.choices.try_get_untracked() {
                let raw = serde_json::to_string(&choices).unwrap_or_default();
                storage::write(Area::Session, &storage_key(base), &raw);
            }
        };
        let gpus = supply::available_gpus(session);
        spawn_local(async move {
            let result = gpus.await;
            if matches!(result, Err(ApiFailure::Aborted)) {
                state.asking_for.try_set_value(None);
                return;
            }
            state
                .choices
                .try_update(|c| c.gpus = settle(result, documented_gpus));
            keep(&base);
            state.settled_for.try_set(Some(base));
        });
        for which in [Call::Vendors, Call::Regions, Call::Contracts, Call::Storage] {
            let names = supply::available_names(session, which);
            let base = session.base_url().get_untracked();
            spawn_local(async move {
                let result = names.await;
                if matches!(result, Err(ApiFailure::Aborted)) {
                    return;
                }
                state.choices.try_update(|c| {
                    type Slot<'a> = (&'a mut Known<Vec<String>>, fn() -> Vec<String>);
                    let (slot, documented): Slot<'_> = match which {
                        Call::Vendors => (&mut c.vendors, documented_vendors),
                        Call::Regions => (&mut c.regions, documented_regions),
                        Call::Contracts => (&mut c.contracts, documented_contracts),
                        _ => (&mut c.storage_classes, documented_storage_classes),
                    };
                    *slot = settle(result, documented);
                });
                keep(&base);
            });
        }
    }
}

impl Default for DiscoveryState {
    fn default() -> Self {
        Self::new()
    }
}

fn settle<T>(result: Result<T, ApiFailure>, documented: fn() -> T) -> Known<T> {
    match result {
        Ok(value) => Known {
            value,
            fetched_at: Some(Utc::now()),
            fallback_reason: None,
        },
        Err(failure) => Known {
            value: documented(),
            fetched_at: None,
            fallback_reason: Some(failure.title()),
        },
    }
}

pub(crate) fn use_discovery() -> DiscoveryState {
    use_context::<DiscoveryState>().unwrap_or_default()
}
