//! The service's answers on the offers page. The spec goes once it has
//! held still, and only when it has nothing the service would refuse; one
//! request is in flight, an older answer never replaces a newer one, and
//! the last answers are kept per spec, so going back to a spec shows its
//! last answer at once. The list asks again before the soonest shown offer
//! expires.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use supply_model::offer_insights::refresh_delay_secs;
use supply_model::offer_query::SearchIndex;
use supply_model::offer_spec::{OfferSpec, SpecProblem};
use supply_model::time::relative_to;
use supply_model::{ApiFailure, OffersAnswer};

use crate::api::supply;
use crate::components::later::task_later;
use crate::state::session::Session;
use crate::state::timer::PageTimer;

/// Never wait longer than this between refreshes.
const MAX_REFRESH_SECS: i64 = 60;
/// How long the spec must stay the same before it is sent.
const SEND_AFTER_MS: u64 = 400;
/// Answers kept per spec, so going back to a spec shows its last answer.
const KEPT_ANSWERS: usize = 8;

/// One answer, for the spec it answered, and when.
#[derive(Clone, PartialEq)]
pub(crate) struct Answer {
    spec_yaml: String,
    pub(crate) answer: Arc<OffersAnswer>,
    pub(crate) at: DateTime<Utc>,
}

impl Answer {
    /// "12 of 40 offers · updated 2 min ago".
    pub(crate) fn summary(&self, shown: usize, now: DateTime<Utc>) -> String {
        let total = self
            .answer
            .total_count
            .map_or(self.answer.offers.len() as u64, |n| n);
        let age = relative_to(self.at, now);
        format!("{shown} of {total} offers · updated {age}")
    }
}

#[derive(Clone, Copy)]
pub(crate) struct OfferAnswers {
    /// What the service would refuse in the spec. Until discovery names
    /// the GPU families the spec has no GPU type yet: that is not the
    /// user's problem to see (nor a line that appears and goes, shifting
    /// the page).
    pub(crate) local_problems: Memo<Vec<SpecProblem>>,
    /// A request is in flight.
    pub(crate) loading: RwSignal<bool>,
    /// The last failure; cleared by the next answer.
    pub(crate) failure: RwSignal<Option<ApiFailure>>,
    /// The answer for the spec on screen, if any came.
    pub(crate) current: Memo<Option<Answer>>,
    reloads: RwSignal<u64>,
}

impl OfferAnswers {
    /// Call from the page: its requests and timers end with it.
    pub(crate) fn new(
        session: Session,
        spec: Memo<OfferSpec>,
        families: Memo<Option<Vec<String>>>,
    ) -> Self {
        let local_problems = Memo::new(move |_| {
            if families.with(Option::is_none) {
                return Vec::new();
            }
            spec.with(OfferSpec::problems)
        });
        let sent = RwSignal::new(None::<OfferSpec>);
        let send_timer = PageTimer::in_current_owner();
        // Reads the spec itself, not `local_problems` (derived from it): an
        // effect that reads a memo and one derived from it can miss the change.
        Effect::new(move |_| {
            let next = spec.get();
            if families.with(Option::is_none) || !next.problems().is_empty() {
                return;
            }
            match sent.with_untracked(|s| s.as_ref().map(|s| *s == next)) {
                // The first query goes at once.
                None => sent.set(Some(next)),
                // Changed and changed back before it was sent.
                Some(true) => send_timer.cancel(),
                Some(false) => send_timer.set(Duration::from_millis(SEND_AFTER_MS), move || {
                    sent.try_set(Some(next));
                }),
            }
        });

        // The answers, kept per spec. Each request belongs to this effect's
        // run: a newer spec aborts it, and only the newest may land.
        let answers = RwSignal::new(Vec::<Answer>::new());
        let loading = RwSignal::new(false);
        let failure = RwSignal::new(None::<ApiFailure>);
        let reloads = RwSignal::new(0_u64);
        let latest = StoredValue::new(0_u64);
        Effect::new(move |_| {
            reloads.track();
            let Some(spec) = sent.get() else { return };
            let spec_yaml = spec.to_yaml();
            let request = supply::get_offers(session, &spec);
            let generation = latest.get_value() + 1;
            latest.set_value(generation);
            loading.set(true);
            spawn_local(async move {
                let result = request.await;
                // Decoding the answer took a task of its own on a slow
                // phone; drawing it comes in the next one.
                task_later().await;
                if latest.try_get_value() != Some(generation) {
                    return;
                }
                match result {
                    Ok(answer) => {
                        answers.try_update(|kept| {
                            kept.retain(|a| a.spec_yaml != spec_yaml);
                            kept.insert(
                                0,
                                Answer {
                                    spec_yaml,
                                    answer: Arc::new(answer),
                                    at: Utc::now(),
                                },
                            );
                            kept.truncate(KEPT_ANSWERS);
                        });
                        failure.try_set(None);
                    }
                    Err(ApiFailure::Aborted) => {}
                    Err(problem) => {
                        failure.try_set(Some(problem));
                    }
                }
                loading.try_set(false);
            });
        });
        let current = Memo::new(move |_| {
            let yaml = sent.with(|s| s.as_ref().map(OfferSpec::to_yaml))?;
            answers.with(|kept| kept.iter().find(|a| a.spec_yaml == yaml).cloned())
        });
        Self {
            local_problems,
            loading,
            failure,
            current,
            reloads,
        }
    }

    /// Asks the service again for the spec sent last.
    pub(crate) fn reload(&self) {
        self.reloads.update(|n| *n += 1);
    }

    /// Plans the next refresh shortly before the soonest shown offer
    /// expires, and no later than MAX_REFRESH_SECS after the answer,
    /// however long the filters keep changing; none while typing.
    pub(crate) fn refresh_before_expiry(
        self,
        index: Memo<SearchIndex>,
        selected: Memo<Vec<usize>>,
        typing: RwSignal<bool>,
    ) {
        let updated_at = Memo::new(move |_| self.current.with(|c| c.as_ref().map(|a| a.at)));
        let refresh_timer = PageTimer::in_current_owner();
        Effect::new(move |_| {
            let Some(answered) = updated_at.get() else {
                return;
            };
            if typing.get() {
                return;
            }
            let now = Utc::now();
            let ceiling = MAX_REFRESH_SECS - (now - answered).num_seconds();
            let delay =
                index.with(|index| selected.with(|s| refresh_delay_secs(index, s, now, ceiling)));
            refresh_timer.set(
                Duration::from_secs(u64::try_from(delay).unwrap_or(60)),
                move || self.reload(),
            );
        });
    }
}
