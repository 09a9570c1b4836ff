//! `GET /resources` and `GET /resources/{resource_id}`.

use serde::{Deserialize, Serialize};

use crate::wire::{null_as_default, ApiTime, Extra};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceAccessInfo {
    #[serde(default)]
    pub external_ip: Option<String>,
    #[serde(default)]
    pub internal_ip: Option<String>,
    #[serde(default)]
    pub ssh_command: Option<String>,
    #[serde(default)]
    pub ssh_port: Option<u16>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedResourceSummary {
    pub resource_id: String,
    pub resource_type: String,
    #[serde(default)]
    pub name: Option<String>,
    pub status: String,
    pub link_type: String,
    pub linked_since: ApiTime,
    #[serde(default)]
    pub linked_until: Option<ApiTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferResourceSummary {
    pub offer_id: String,
    pub offer_type: String,
    pub role: String,
    pub created_at: ApiTime,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceSummary {
    pub resource_id: String,
    pub resource_type: String,
    #[serde(default)]
    pub name: Option<String>,
    pub vendor: String,
    pub vendor_region: String,
    pub status: String,
    #[serde(default)]
    pub status_message: Option<String>,
    #[serde(default)]
    pub access: Option<ResourceAccessInfo>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub spec: serde_json::Map<String, serde_json::Value>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub linked_resources: Vec<LinkedResourceSummary>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub offer_history: Vec<OfferResourceSummary>,
    #[serde(default)]
    pub pricing_total_hourly: Option<f64>,
    #[serde(default)]
    pub valid_from: Option<ApiTime>,
    #[serde(default)]
    pub valid_to: Option<ApiTime>,
    #[serde(default)]
    pub last_synced_at: Option<ApiTime>,
    pub created_at: ApiTime,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Decodes `GET /resources`: a bare array or `{"resources": [...]}`.
pub fn decode_resources(body: &str) -> Result<Vec<ResourceSummary>, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(body)?;
    crate::offer::decode_list(value, "resources")
}
