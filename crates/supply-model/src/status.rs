//! `GET /offers/{offer_id}/status`.

use serde::{Deserialize, Serialize};

use crate::wire::{null_as_default, open_enum, ApiTime, Extra};

open_enum! {
    /// The offer itself.
    OfferState {
        Available => "available",
        Procured => "procured",
        Failed => "failed",
        Expired => "expired",
    }
}

open_enum! {
    /// Where provisioning stands. The published page and the schema use two
    /// vocabularies; both are known here.
    ProcurementStatus {
        Available => "available",
        Pending => "pending",
        ProvisioningStarted => "provisioning_started",
        Provisioning => "provisioning",
        ProvisioningInProgress => "provisioning_in_progress",
        Ready => "ready",
        Failed => "failed",
    }
}

impl ProcurementStatus {
    /// `ready` and `failed` end polling; anything else, unknown values too, does not.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Ready | Self::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceDetail {
    pub instance_id: String,
    pub instance_name: String,
    pub zone: String,
    #[serde(default)]
    pub external_ip: Option<String>,
    #[serde(default)]
    pub internal_ip: Option<String>,
    /// running, stopped, terminated, preempted, error, or vendor-specific.
    pub status: String,
    #[serde(default)]
    pub ssh_command: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferResourceInfo {
    pub resource_id: String,
    pub resource_type: String,
    pub role: String,
    pub status: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferStatusResponse {
    pub offer_id: String,
    pub status: OfferState,
    #[serde(default)]
    pub procurement_status: Option<ProcurementStatus>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub instances: Vec<InstanceDetail>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub resources: Vec<OfferResourceInfo>,
    #[serde(default)]
    pub progress: Option<String>,
    #[serde(default)]
    pub failure_reason: Option<String>,
    pub created_at: ApiTime,
    #[serde(default)]
    pub procured_at: Option<ApiTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl OfferStatusResponse {
    /// Polling is over once provisioning is final.
    pub fn is_final(&self) -> bool {
        self.procurement_status
            .as_ref()
            .is_some_and(ProcurementStatus::is_final)
    }

    /// The word for where it stands: the procurement's state once there is
    /// one, else the offer's.
    pub fn state_name(&self) -> &str {
        self.procurement_status
            .as_ref()
            .map_or_else(|| self.status.as_str(), ProcurementStatus::as_str)
    }

    /// The procurement's final state (`ready`, `failed`), once it has one.
    pub fn final_state(&self) -> Option<&str> {
        self.procurement_status
            .as_ref()
            .filter(|p| p.is_final())
            .map(ProcurementStatus::as_str)
    }
}

/// `progress` such as "2/4 instances running" as (done, total), for a bar.
pub fn parse_progress(progress: &str) -> Option<(u32, u32)> {
    let token = progress
        .split_whitespace()
        .find(|word| word.contains('/'))?;
    let (done, total) = token.split_once('/')?;
    let (done, total) = (done.parse::<u32>().ok()?, total.parse::<u32>().ok()?);
    (total > 0 && done <= total).then_some((done, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_k_of_n() {
        assert_eq!(parse_progress("2/4 instances running"), Some((2, 4)));
        assert_eq!(parse_progress("Booting 1/1"), Some((1, 1)));
        assert_eq!(parse_progress("5/4"), None);
        assert_eq!(parse_progress("0/0"), None);
        assert_eq!(parse_progress("waiting for vendor"), None);
    }

    #[test]
    fn the_state_is_the_procurements_once_there_is_one() {
        let mut answer: OfferStatusResponse = serde_json::from_str(
            r#"{"offer_id":"o-1","status":"procured","created_at":"2026-12-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(answer.state_name(), "procured");
        assert_eq!(answer.final_state(), None);
        answer.procurement_status = Some(ProcurementStatus::from_wire("provisioning"));
        assert_eq!(answer.state_name(), "provisioning");
        assert_eq!(answer.final_state(), None);
        answer.procurement_status = Some(ProcurementStatus::Failed);
        assert_eq!(answer.state_name(), "failed");
        assert_eq!(answer.final_state(), Some("failed"));
    }

    #[test]
    fn only_ready_and_failed_are_final() {
        for status in ProcurementStatus::KNOWN {
            let expected = matches!(status, ProcurementStatus::Ready | ProcurementStatus::Failed);
            assert_eq!(status.is_final(), expected, "{status}");
        }
        assert!(!ProcurementStatus::from_wire("queued_at_vendor").is_final());
    }
}
