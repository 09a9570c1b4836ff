//! `POST /procure_offer`.

use serde::{Deserialize, Serialize};

use crate::wire::{null_as_default, open_enum, ApiTime, Extra};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcureRequest {
    pub offer_id: String,
    pub ssh_public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_init: Option<String>,
    /// Cluster offers only; the service names the cluster when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}

open_enum! {
    /// The outcome `POST /procure_offer` reports.
    ProcureStatus {
        Procured => "procured",
        Failed => "failed",
        ProvisioningInProgress => "provisioning_in_progress",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcureResponse {
    pub offer_id: String,
    pub status: ProcureStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procured_at: Option<ApiTime>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub resource_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}
