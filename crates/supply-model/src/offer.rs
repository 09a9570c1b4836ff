//! GPU offers (`POST /get_offers`). The shape is the contract's assumption:
//! every field but `offer_id` may be missing.

use serde::{Deserialize, Serialize};

use crate::wire::{open_enum, ApiTime, Extra};

open_enum! {
    /// What an offer provisions.
    OfferType {
        Vm => "vm",
        Cluster => "cluster",
        BareMetal => "bare_metal",
    }
}

impl OfferType {
    pub fn label(&self) -> &str {
        match self {
            Self::Vm => "VM",
            Self::Cluster => "Cluster",
            Self::BareMetal => "Bare metal",
            Self::Other(raw) => raw,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub offer_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_type: Option<OfferType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_memory_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_count: Option<u32>,
    /// Total USD per hour for the whole offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_hourly: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<ApiTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<ApiTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Offer {
    /// USD per GPU-hour, when both the price and a non-zero GPU count are known.
    pub fn price_per_gpu_hour(&self) -> Option<f64> {
        crate::pricing::per_gpu_hour(self.pricing_hourly?, self.gpu_count?)
    }

    /// Seconds until the offer expires; negative once it has.
    pub fn seconds_left(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        let expires = self.expires_at.as_ref()?.parsed()?;
        Some((expires - now).num_seconds())
    }

    pub fn is_expired(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.seconds_left(now).is_some_and(|left| left <= 0)
    }
}

/// The filters `POST /get_offers` takes; all optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetOffersRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_type: Option<OfferType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price_hourly: Option<f64>,
}

/// Decodes a `get_offers` answer: a bare array or `{"offers": [...]}`.
pub fn decode_offers(body: &str) -> Result<Vec<Offer>, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(body)?;
    decode_list(value, "offers")
}

/// Shared by the list endpoints: a bare array, or an object holding the
/// array under `key`. Decoding each shape directly gives the real field
/// error instead of serde's "did not match any variant".
pub(crate) fn decode_list<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    key: &str,
) -> Result<Vec<T>, serde_json::Error> {
    use serde::de::Error as _;
    match value {
        serde_json::Value::Array(_) => serde_json::from_value(value),
        serde_json::Value::Object(mut map) => match map.remove(key) {
            Some(serde_json::Value::Null) | None => Ok(Vec::new()),
            Some(inner) => serde_json::from_value(inner),
        },
        other => Err(serde_json::Error::custom(format!(
            "expected a list of {key}, got {}",
            crate::json_kind(&other)
        ))),
    }
}
