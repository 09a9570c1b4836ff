//! The states a procurement went through, each with when it was first
//! seen. Kept as JSON on the device so a reload keeps the history.

use serde::{Deserialize, Serialize};

use crate::wire::ApiTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The raw state, so unknown values are shown as they came.
    pub state: String,
    pub first_seen: ApiTime,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
}

impl Timeline {
    /// Records `state` if it was never seen; returns whether it was new.
    pub fn observe(&mut self, state: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
        if self.entries.iter().any(|entry| entry.state == state) {
            return false;
        }
        self.entries.push(TimelineEntry {
            state: state.to_owned(),
            first_seen: ApiTime::from_datetime(now),
        });
        true
    }

    /// Reads a stored timeline; anything unreadable starts afresh.
    pub fn from_json(raw: Option<&str>) -> Self {
        raw.and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Seconds from the first state to `now`.
    pub fn elapsed_secs(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        let first = self.entries.first()?.first_seen.parsed()?;
        Some((now - first).num_seconds().max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn states_are_recorded_once_with_their_first_time() {
        let t0 = parse_timestamp("2026-11-23T10:00:00Z").unwrap();
        let t1 = parse_timestamp("2026-11-23T10:00:15Z").unwrap();
        let mut timeline = Timeline::default();
        assert!(timeline.observe("provisioning_started", t0));
        assert!(!timeline.observe("provisioning_started", t1));
        assert!(
            timeline.observe("vendor_queued", t1),
            "unknown states are kept raw"
        );
        assert_eq!(timeline.entries.len(), 2);
        assert_eq!(timeline.entries[1].first_seen.0, "2026-11-23T10:00:15Z");
        assert_eq!(timeline.elapsed_secs(t1), Some(15));
    }

    #[test]
    fn stored_timelines_survive_a_reload_and_junk_starts_afresh() {
        let mut timeline = Timeline::default();
        timeline.observe("ready", parse_timestamp("2026-11-23T10:00:00Z").unwrap());
        let stored = timeline.to_json();
        assert_eq!(Timeline::from_json(Some(&stored)), timeline);
        assert_eq!(Timeline::from_json(Some("{oops")), Timeline::default());
        assert_eq!(Timeline::from_json(None), Timeline::default());
    }
}
