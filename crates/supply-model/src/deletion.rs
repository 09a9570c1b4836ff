//! Deleting a resource (`DELETE /resources/{resource_id}?force=`): what the
//! confirmation asks the user to type, what ends and what survives, the
//! cost frozen at the deletion, and how often to look while it is under way.
//!
//! The delete page says the call is asynchronous (`deleting`, then
//! `deleted`) and that deleting a deleted resource answers 409. It does not
//! say what `force` skips, nor which field dates a deletion: the console
//! takes `valid_to` once a resource is deleted, else the moment it asked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::connection::accrued_cost;
use crate::wire::Extra;
use crate::ResourceSummary;

/// The published answer to `DELETE /resources/{resource_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteResourceResponse {
    pub resource_id: String,
    pub status: String,
    pub message: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where a resource is in its life, read from its `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Anything but the two published deletion states.
    Live,
    Deleting,
    Deleted,
}

impl Lifecycle {
    pub fn of(status: &str) -> Self {
        match status.trim().to_ascii_lowercase().as_str() {
            "deleting" => Self::Deleting,
            "deleted" => Self::Deleted,
            _ => Self::Live,
        }
    }

    /// A delete was asked for: no access, no new bill.
    pub fn is_ending(self) -> bool {
        self != Self::Live
    }
}

/// What a failed `DELETE` means for the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailedDelete {
    /// 409: it was deleted before; show its current state.
    AlreadyDeleted,
    /// No answer came, or one that could not be read: the delete may have
    /// gone through. Read the resource before anything is sent again.
    Unconfirmed,
    /// Refused or failed on the service's side: nothing was deleted.
    Failed,
}

pub fn after_failed_delete(failure: &crate::ApiFailure) -> AfterFailedDelete {
    use crate::ApiFailure as F;
    match failure {
        _ if failure.status() == Some(409) => AfterFailedDelete::AlreadyDeleted,
        F::Network { .. } | F::Decode { .. } | F::Aborted => AfterFailedDelete::Unconfirmed,
        _ => AfterFailedDelete::Failed,
    }
}

/// How many characters of the id the confirmation accepts.
pub const ID_PREFIX_LEN: usize = 8;

/// The first [`ID_PREFIX_LEN`] characters of an id.
pub fn id_prefix(resource_id: &str) -> String {
    resource_id.trim().chars().take(ID_PREFIX_LEN).collect()
}

/// The resource's name, when it has one worth typing.
pub fn display_name(resource: &ResourceSummary) -> Option<&str> {
    resource
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

/// The confirmation rule: the resource's name exactly, or the first eight
/// characters of its id (ids are hex, so case does not matter there).
/// Spaces around what was typed do not count; an empty entry never passes.
pub fn confirms_delete(resource: &ResourceSummary, typed: &str) -> bool {
    let typed = typed.trim();
    if typed.is_empty() {
        return false;
    }
    let by_name = display_name(resource).is_some_and(|name| name == typed);
    let prefix = id_prefix(&resource.resource_id);
    let by_id = !prefix.is_empty() && typed.eq_ignore_ascii_case(&prefix);
    by_name || by_id
}

/// What a bulk delete asks the user to type: `delete 3`.
pub fn bulk_phrase(count: usize) -> String {
    format!("delete {count}")
}

pub fn confirms_bulk(count: usize, typed: &str) -> bool {
    count > 0
        && typed
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .eq_ignore_ascii_case(&bulk_phrase(count))
}

/// Storage that goes with the machine: the spec's non-persistent volumes.
#[derive(Debug, Clone, PartialEq)]
pub struct EphemeralVolume {
    pub name: String,
    pub size_gb: Option<f64>,
    pub kind: Option<String>,
}

/// A linked persistent volume, which outlives the machine and keeps costing.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivingVolume {
    pub resource_id: String,
    pub name: String,
    /// From the volume's own resource, when the console has read it.
    pub hourly: Option<f64>,
}

/// What a delete ends and what it leaves, for the confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletePlan {
    pub resource_id: String,
    pub name: String,
    pub resource_type: String,
    pub external_ip: Option<String>,
    /// What stops being billed.
    pub hourly: Option<f64>,
    pub ephemeral: Vec<EphemeralVolume>,
    pub survives: Vec<SurvivingVolume>,
}

impl DeletePlan {
    /// What the surviving volumes still cost, of those whose price is known.
    pub fn surviving_hourly(&self) -> f64 {
        self.survives
            .iter()
            .filter_map(|v| v.hourly)
            .filter(|p| p.is_finite())
            .sum()
    }

    /// Some surviving volume's price is not known yet.
    pub fn surviving_price_unknown(&self) -> bool {
        self.survives.iter().any(|v| v.hourly.is_none())
    }
}

fn is_storage_type(resource_type: &str) -> bool {
    let kind = resource_type.to_ascii_lowercase();
    kind.contains("storage") || kind.contains("volume") || kind.contains("disk")
}

/// A storage resource that outlives the machines it is attached to (the
/// storage guide: persistent volumes get their own id and lifecycle).
pub fn is_persistent_volume(resource: &ResourceSummary) -> bool {
    is_storage_type(&resource.resource_type) && persistent_flag(resource) != Some(false)
}

fn persistent_flag(resource: &ResourceSummary) -> Option<bool> {
    resource
        .spec
        .get("persistent")
        .and_then(serde_json::Value::as_bool)
}

fn ephemeral_volumes(resource: &ResourceSummary) -> Vec<EphemeralVolume> {
    let Some(volumes) = resource
        .spec
        .get("storage")
        .and_then(serde_json::Value::as_array)
    else {
        return Vec::new();
    };
    volumes
        .iter()
        .filter(|volume| {
            volume
                .get("persistent")
                .and_then(serde_json::Value::as_bool)
                != Some(true)
        })
        .enumerate()
        .map(|(at, volume)| EphemeralVolume {
            name: volume
                .get("name")
                .and_then(serde_json::Value::as_str)
                .filter(|n| !n.trim().is_empty())
                .map_or_else(|| format!("volume {}", at + 1), str::to_owned),
            size_gb: volume.get("size_gb").and_then(serde_json::Value::as_f64),
            kind: volume
                .get("type")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        })
        .collect()
}

/// The plan for deleting `resource`. `known` holds resources the console
/// has read (a list, or the linked volumes themselves), for their prices
/// and whether they are persistent. A linked storage resource survives
/// unless it is itself deleted, its link has ended, or it says it is not
/// persistent.
pub fn delete_plan(resource: &ResourceSummary, known: &[ResourceSummary]) -> DeletePlan {
    DeletePlan {
        resource_id: resource.resource_id.clone(),
        name: display_name(resource).map_or_else(|| resource.resource_id.clone(), str::to_owned),
        resource_type: resource.resource_type.clone(),
        external_ip: resource
            .access
            .as_ref()
            .and_then(|a| a.external_ip.clone())
            .filter(|ip| !ip.trim().is_empty()),
        hourly: resource.pricing_total_hourly.filter(|p| p.is_finite()),
        ephemeral: ephemeral_volumes(resource),
        survives: linked_volumes(resource, known, false),
    }
}

/// After a machine's delete: its persistent volumes that remain (their
/// links have ended, they have not), with what they cost.
pub fn volumes_left(resource: &ResourceSummary, known: &[ResourceSummary]) -> Vec<SurvivingVolume> {
    linked_volumes(resource, known, true)
}

fn linked_volumes(
    resource: &ResourceSummary,
    known: &[ResourceSummary],
    ended_links_too: bool,
) -> Vec<SurvivingVolume> {
    let find = |id: &str| known.iter().find(|r| r.resource_id == id);
    if is_storage_type(&resource.resource_type) {
        Vec::new()
    } else {
        resource
            .linked_resources
            .iter()
            .filter(|link| ended_links_too || link.linked_until.is_none())
            .filter(|link| !Lifecycle::of(&link.status).is_ending())
            .filter(|link| {
                let own = find(&link.resource_id);
                let storage = is_storage_type(&link.resource_type)
                    || own.is_some_and(|r| is_storage_type(&r.resource_type));
                let persistent = own.and_then(persistent_flag) != Some(false);
                let ended = own.is_some_and(|r| Lifecycle::of(&r.status).is_ending());
                storage && persistent && !ended
            })
            .map(|link| SurvivingVolume {
                resource_id: link.resource_id.clone(),
                name: link
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| link.resource_id.clone()),
                hourly: find(&link.resource_id).and_then(|r| r.pricing_total_hourly),
            })
            .collect()
    }
}

/// What a set of deletes stops billing, per hour: the sum of the prices
/// known, over the resources not already ending.
pub fn hourly_that_stops(resources: &[&ResourceSummary]) -> f64 {
    resources
        .iter()
        .filter(|r| !Lifecycle::of(&r.status).is_ending())
        .filter_map(|r| r.pricing_total_hourly)
        .filter(|p| p.is_finite())
        .sum()
}

/// When the bill stopped, if it has: a deleted resource's `valid_to`, else
/// the moment this console asked for the delete, else (a deletion seen but
/// not asked from here) when the service last synced it; any `valid_to`
/// already past ends it too. `None` while it runs.
pub fn billing_end(
    resource: &ResourceSummary,
    asked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let valid_to = resource.valid_to.as_ref().and_then(|at| at.parsed());
    let synced = resource.last_synced_at.as_ref().and_then(|at| at.parsed());
    // The moment this tab asked is never clamped to `now`: the page's
    // clock ticks once a second and may lag the click.
    let past = |at: Option<DateTime<Utc>>| at.map(|at| at.min(now));
    match Lifecycle::of(&resource.status) {
        Lifecycle::Live => valid_to.filter(|until| *until <= now),
        Lifecycle::Deleted => past(valid_to).or(asked_at).or(past(synced)),
        Lifecycle::Deleting => asked_at
            .or(valid_to.filter(|until| *until <= now))
            .or(past(synced)),
    }
}

/// What a resource has cost: since it started until its bill stopped, or
/// until now while it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostSoFar {
    pub amount: f64,
    /// The moment billing stopped, when it has.
    pub frozen_at: Option<DateTime<Utc>>,
}

pub fn cost_so_far(
    resource: &ResourceSummary,
    asked_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<CostSoFar> {
    let hourly = resource.pricing_total_hourly.filter(|p| p.is_finite())?;
    let since = resource
        .valid_from
        .as_ref()
        .and_then(|at| at.parsed())
        .or_else(|| resource.created_at.parsed())?;
    let frozen_at = billing_end(resource, asked_at, now);
    Some(CostSoFar {
        amount: accrued_cost(hourly, since, frozen_at.unwrap_or(now)),
        frozen_at,
    })
}

/// Seconds between looks at a resource that is being deleted: soon at
/// first (the call has just been accepted), then backing off to the
/// service's 30 s reconcile cooldown.
pub fn follow_wait_secs(looks_so_far: u32) -> u32 {
    const STEPS: [u32; 6] = [2, 3, 5, 8, 13, 20];
    STEPS.get(looks_so_far as usize).copied().unwrap_or(30)
}

/// A deletion still `deleting` after this long is stuck: the page then
/// offers `force`.
pub const STUCK_AFTER_SECS: i64 = 5 * 60;

pub fn is_stuck(asked_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    asked_at.is_some_and(|at| (now - at).num_seconds() >= STUCK_AFTER_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn machine() -> ResourceSummary {
        serde_json::from_value(serde_json::json!({
            "resource_id": "3f2a9c1d-7b1e-4c2a-9d0e-000000000001",
            "resource_type": "vm",
            "name": "train-h100-01",
            "vendor": "nebius",
            "vendor_region": "eu-north1",
            "status": "running",
            "access": {"external_ip": "203.0.113.7"},
            "spec": {"storage": [
                {"name": "scratch", "size_gb": 500, "type": "nvme", "persistent": false},
                {"name": "data", "size_gb": 1000, "persistent": true}
            ]},
            "linked_resources": [
                {"resource_id": "vol-1", "resource_type": "storage", "name": "train-data",
                 "status": "attached", "link_type": "attached_storage", "linked_since": "2026-01-01T00:00:00Z"},
                {"resource_id": "vol-2", "resource_type": "storage", "name": "old",
                 "status": "deleted", "link_type": "attached_storage", "linked_since": "2026-01-01T00:00:00Z"},
                {"resource_id": "vol-3", "resource_type": "storage", "name": "gone-link",
                 "status": "attached", "link_type": "attached_storage", "linked_since": "2026-01-01T00:00:00Z",
                 "linked_until": "2026-01-01T01:00:00Z"},
                {"resource_id": "k8s-1", "resource_type": "cluster", "name": "peer",
                 "status": "running", "link_type": "member_of", "linked_since": "2026-01-01T00:00:00Z"}
            ],
            "pricing_total_hourly": 24.0,
            "valid_from": "2026-01-01T00:00:00Z",
            "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    fn volume(id: &str, price: f64) -> ResourceSummary {
        serde_json::from_value(serde_json::json!({
            "resource_id": id, "resource_type": "storage", "name": "train-data",
            "vendor": "nebius", "vendor_region": "eu-north1", "status": "attached",
            "spec": {"persistent": true}, "pricing_total_hourly": price,
            "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn the_confirmation_takes_the_name_or_the_first_eight_of_the_id() {
        let r = machine();
        assert!(confirms_delete(&r, "train-h100-01"));
        assert!(confirms_delete(&r, "  train-h100-01 "));
        assert!(confirms_delete(&r, "3f2a9c1d"));
        assert!(confirms_delete(&r, "3F2A9C1D"));
        assert!(!confirms_delete(&r, "train-h100-0"));
        assert!(!confirms_delete(&r, "Train-H100-01"), "names are exact");
        assert!(
            !confirms_delete(&r, "3f2a9c1"),
            "seven characters are not enough"
        );
        assert!(
            !confirms_delete(&r, "3f2a9c1d-7b1e"),
            "the prefix is exactly eight"
        );
        assert!(!confirms_delete(&r, ""));
        assert!(!confirms_delete(&r, "   "));
        let mut unnamed = machine();
        unnamed.name = Some("  ".into());
        assert!(!confirms_delete(&unnamed, "  "));
        assert!(confirms_delete(&unnamed, "3f2a9c1d"));
        assert_eq!(id_prefix(&r.resource_id), "3f2a9c1d");
    }

    #[test]
    fn a_bulk_delete_asks_for_its_count() {
        assert_eq!(bulk_phrase(3), "delete 3");
        assert!(confirms_bulk(3, "delete 3"));
        assert!(confirms_bulk(3, " Delete   3 "));
        assert!(!confirms_bulk(3, "delete 2"));
        assert!(!confirms_bulk(3, "delete"));
        assert!(!confirms_bulk(0, "delete 0"));
    }

    #[test]
    fn the_plan_names_what_ends_and_what_survives() {
        let plan = delete_plan(&machine(), &[volume("vol-1", 0.14)]);
        assert_eq!(plan.name, "train-h100-01");
        assert_eq!(plan.external_ip.as_deref(), Some("203.0.113.7"));
        assert_eq!(plan.hourly, Some(24.0));
        assert_eq!(
            plan.ephemeral,
            vec![EphemeralVolume {
                name: "scratch".into(),
                size_gb: Some(500.0),
                kind: Some("nvme".into())
            }],
            "only the spec's non-persistent volume goes with the machine"
        );
        // The deleted volume, the ended link and the cluster do not survive
        // as volumes; the live persistent one does, with its price.
        assert_eq!(
            plan.survives,
            vec![SurvivingVolume {
                resource_id: "vol-1".into(),
                name: "train-data".into(),
                hourly: Some(0.14)
            }]
        );
        assert!((plan.surviving_hourly() - 0.14).abs() < 1e-9);
        assert!(!plan.surviving_price_unknown());

        let unknown = delete_plan(&machine(), &[]);
        assert_eq!(unknown.survives.len(), 1);
        assert!(unknown.surviving_price_unknown());

        // A volume that says it is not persistent goes with the machine.
        let mut scratch = volume("vol-1", 0.14);
        scratch.spec.insert("persistent".into(), false.into());
        assert!(delete_plan(&machine(), &[scratch]).survives.is_empty());

        // Once the machine is deleted its links end; the volume remains.
        let mut deleted = machine();
        deleted.status = "deleted".into();
        for link in &mut deleted.linked_resources {
            link.linked_until = Some(crate::ApiTime("2026-01-01T02:00:00Z".into()));
        }
        assert!(delete_plan(&deleted, &[]).survives.is_empty());
        let left = volumes_left(&deleted, &[volume("vol-1", 0.14)]);
        let names: Vec<&str> = left.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["train-data", "gone-link"]);
        assert_eq!(left[0].hourly, Some(0.14));

        assert!(is_persistent_volume(&volume("vol-1", 0.1)));
        assert!(!is_persistent_volume(&machine()));

        // Deleting a volume leaves nothing of its own behind.
        assert!(delete_plan(&volume("vol-1", 0.14), &[]).survives.is_empty());
    }

    #[test]
    fn what_stops_counts_only_what_still_runs() {
        let a = machine();
        let b = volume("vol-1", 0.5);
        let mut c = volume("vol-2", 9.0);
        c.status = "deleting".into();
        assert!((hourly_that_stops(&[&a, &b, &c]) - 24.5).abs() < 1e-9);
    }

    #[test]
    fn the_cost_freezes_at_the_deletion() {
        let at = |raw| parse_timestamp(raw).unwrap();
        let now = at("2026-01-01T03:00:00Z");
        let running = machine();
        let live = cost_so_far(&running, None, now).unwrap();
        assert!((live.amount - 72.0).abs() < 1e-9);
        assert_eq!(live.frozen_at, None);

        // Asked from here at 01:00: frozen there while deleting.
        let mut deleting = machine();
        deleting.status = "deleting".into();
        deleting.last_synced_at = Some(crate::ApiTime("2026-01-01T02:30:00Z".into()));
        let asked = Some(at("2026-01-01T01:00:00Z"));
        let frozen = cost_so_far(&deleting, asked, now).unwrap();
        assert!((frozen.amount - 24.0).abs() < 1e-9);
        assert_eq!(frozen.frozen_at, asked);
        // The same figure an hour later.
        let later = cost_so_far(&deleting, asked, at("2026-01-01T04:00:00Z")).unwrap();
        assert_eq!(later.amount, frozen.amount);
        // Seen deleting without asking: when the service last synced it.
        let seen = cost_so_far(&deleting, None, now).unwrap();
        assert!((seen.amount - 60.0).abs() < 1e-9);

        // Deleted: valid_to is the service's word.
        let mut deleted = machine();
        deleted.status = "deleted".into();
        deleted.valid_to = Some(crate::ApiTime("2026-01-01T01:30:00Z".into()));
        let done = cost_so_far(&deleted, asked, now).unwrap();
        assert!((done.amount - 36.0).abs() < 1e-9);
        assert_eq!(done.frozen_at, Some(at("2026-01-01T01:30:00Z")));

        // A live resource whose validity ended stops there too; one that
        // ends later still runs.
        let mut ended = machine();
        ended.valid_to = Some(crate::ApiTime("2026-01-01T02:00:00Z".into()));
        assert!((cost_so_far(&ended, None, now).unwrap().amount - 48.0).abs() < 1e-9);
        ended.valid_to = Some(crate::ApiTime("2026-01-02T00:00:00Z".into()));
        assert_eq!(cost_so_far(&ended, None, now).unwrap().frozen_at, None);
        // No price, no figure.
        let mut free = machine();
        free.pricing_total_hourly = None;
        assert_eq!(cost_so_far(&free, None, now), None);
    }

    #[test]
    fn lifecycle_reads_the_published_states_and_follows_with_backoff() {
        assert_eq!(Lifecycle::of("Deleting"), Lifecycle::Deleting);
        assert_eq!(Lifecycle::of("deleted"), Lifecycle::Deleted);
        assert_eq!(Lifecycle::of("running"), Lifecycle::Live);
        assert!(!Lifecycle::Live.is_ending());
        let waits: Vec<u32> = (0..8).map(follow_wait_secs).collect();
        assert_eq!(waits, [2, 3, 5, 8, 13, 20, 30, 30]);
        let at = |raw| parse_timestamp(raw).unwrap();
        assert!(!is_stuck(
            Some(at("2026-01-01T00:00:00Z")),
            at("2026-01-01T00:04:59Z")
        ));
        assert!(is_stuck(
            Some(at("2026-01-01T00:00:00Z")),
            at("2026-01-01T00:05:00Z")
        ));
        assert!(!is_stuck(None, at("2026-01-01T00:05:00Z")));
    }

    #[test]
    fn a_lost_answer_is_checked_before_anything_is_sent_again() {
        use crate::ApiFailure;
        let http = |status| ApiFailure::Http {
            status,
            detail: None,
            retry_after_secs: None,
            request_id: None,
        };
        assert_eq!(
            after_failed_delete(&http(409)),
            AfterFailedDelete::AlreadyDeleted
        );
        assert_eq!(
            after_failed_delete(&ApiFailure::Network { origin: "x".into() }),
            AfterFailedDelete::Unconfirmed
        );
        assert_eq!(
            after_failed_delete(&ApiFailure::Decode { detail: "x".into() }),
            AfterFailedDelete::Unconfirmed
        );
        assert_eq!(after_failed_delete(&http(503)), AfterFailedDelete::Failed);
        assert_eq!(after_failed_delete(&http(404)), AfterFailedDelete::Failed);
    }

    #[test]
    fn the_delete_answer_is_the_published_one() {
        let answer: DeleteResourceResponse = serde_json::from_str(
            r#"{"resource_id":"x","status":"deleting","message":"started","extra":1}"#,
        )
        .unwrap();
        assert_eq!(answer.status, "deleting");
        assert!(serde_json::from_str::<DeleteResourceResponse>(r#"{"resource_id":"x"}"#).is_err());
    }
}
