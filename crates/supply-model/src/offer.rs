//! GPU offers as the published reference names them: a `POST /get_offers`
//! item (get-offers page) and `GET /offers/{offer_id}` (`OfferDetails`, the
//! same fields plus `status` and `procured_at`). Every field but `offer_id`
//! may be missing or `null`; unknown fields are kept in `extra`.

use serde::{Deserialize, Serialize};

use crate::status::OfferState;
use crate::wire::{null_as_default, open_enum, ApiTime, Extra};

open_enum! {
    /// `contract_type`: on-demand, or spot (cheaper, may be interrupted).
    ContractType {
        OnDemand => "ondemand",
        Spot => "spot",
    }
}

impl ContractType {
    pub fn label(&self) -> &str {
        match self {
            Self::OnDemand => "On-demand",
            Self::Spot => "Spot (interruptible)",
            Self::Other(raw) => raw,
        }
    }
}

open_enum! {
    /// `type`: a VM with full OS access, or a container on shared hosts.
    MachineKind {
        Vm => "vm",
        Container => "container",
    }
}

impl MachineKind {
    pub fn label(&self) -> &str {
        match self {
            Self::Vm => "VM",
            Self::Container => "Container",
            Self::Other(raw) => raw,
        }
    }
}

/// One volume of `storage_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_gb: Option<f64>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_gb_month: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_cost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub offer_id: String,
    /// Canonical name, e.g. `nvidia-h100-sxm5-80gb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    /// Family, e.g. `H100`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Region group: US, EU, APAC or Other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The vendor's own region name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<ContractType>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<MachineKind>,
    /// USD per GPU-hour, boot disk included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_price_per_hour: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_price_per_hour: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_price_per_hour: Option<f64>,
    /// `null` when the vendor does not validate its boot disk size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_disk_in_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpu_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_in_gb: Option<f64>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub storage_details: Vec<StorageDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<ApiTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<ApiTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus_per_node: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infiniband_bandwidth_gbps: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_storage_gb: Option<f64>,
    /// `GET /offers/{id}` only: available, procured, failed or expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OfferState>,
    /// `GET /offers/{id}` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procured_at: Option<ApiTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Offer {
    /// USD per GPU-hour: as sent, or the total over the GPU count.
    pub fn price_per_gpu_hour(&self) -> Option<f64> {
        self.gpu_price_per_hour
            .or_else(|| crate::pricing::per_gpu_hour(self.total_price_per_hour?, self.gpu_count?))
    }

    /// USD per hour for the whole offer: as sent, or GPU-hours plus storage.
    pub fn total_hourly(&self) -> Option<f64> {
        self.total_price_per_hour.or_else(|| {
            let gpus = self.gpu_price_per_hour? * f64::from(self.gpu_count?);
            Some(gpus + self.storage_price_per_hour.unwrap_or(0.0))
        })
    }

    /// A multi-node offer (assumed: more than one node, or a deployment
    /// type that names a cluster).
    pub fn is_cluster(&self) -> bool {
        self.node_count.is_some_and(|n| n > 1)
            || self
                .deployment_type
                .as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().contains("cluster"))
    }

    pub fn is_spot(&self) -> bool {
        self.contract_type == Some(ContractType::Spot)
    }

    /// "H100 · nvidia-h100-sxm5-80gb", or whichever of the two is known.
    pub fn gpu_label(&self) -> String {
        match (self.gpu_family.as_deref(), self.gpu_type.as_deref()) {
            (Some(family), Some(name)) if !family.eq_ignore_ascii_case(name) => {
                format!("{family} · {name}")
            }
            (Some(one), _) | (None, Some(one)) => one.to_owned(),
            (None, None) => "GPU".to_owned(),
        }
    }

    /// Seconds until the offer expires; negative once it has.
    pub fn seconds_left(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        let expires = self.expires_at.as_ref()?.parsed()?;
        Some((expires - now).num_seconds())
    }

    pub fn is_expired(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.seconds_left(now).is_some_and(|left| left <= 0)
            || self.status == Some(OfferState::Expired)
    }
}

/// The `get_offers` answer: `{offers, total_count, filters_applied}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OffersAnswer {
    #[serde(default, deserialize_with = "null_as_default")]
    pub offers: Vec<Offer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// What the service understood of the spec, shown as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters_applied: Option<serde_json::Value>,
    // No `extra` here, unlike the offers: a flattened map would make serde
    // buffer the whole answer and decode the offers a second way.
}

/// Decodes a `get_offers` answer. The published shape is an object; a bare
/// list of offers is read too, so a proxy that unwraps it still works.
///
/// Every `Offer` the console reads goes one way, straight from the text
/// (see [`decode_offer`]): a second way would put a second decoder of every
/// field into the page (the procure page carried both, 5 KB gzip). Through
/// a `Value` first was 0.6 KB lighter but twice as slow: 137 offers took a
/// 4x-CPU phone's main thread about 100 ms, half of it building the map.
pub fn decode_offers_answer(body: &str) -> Result<OffersAnswer, serde_json::Error> {
    match body.trim_start().as_bytes().first() {
        Some(b'[') => Ok(OffersAnswer {
            offers: serde_json::from_str(body)?,
            ..Default::default()
        }),
        Some(b'{') => serde_json::from_str(body),
        // Not an object: say what came instead (or why it is not JSON).
        _ => {
            use serde::de::Error as _;
            let other: serde_json::Value = serde_json::from_str(body)?;
            Err(serde_json::Error::custom(format!(
                "expected an object with offers, got {}",
                crate::json_kind(&other)
            )))
        }
    }
}

/// Decodes one offer (`GET /offers/{id}`, or a copy the console kept), the
/// same way as [`decode_offers_answer`].
pub fn decode_offer(body: &str) -> Result<Offer, serde_json::Error> {
    serde_json::from_str(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_example_decodes() {
        let body = r#"{"offers":[{"offer_id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","gpu_type":"<string>","gpu_family":"<string>","gpu_count":123,"vendor":"<string>","region":"<string>","gpu_price_per_hour":123,"boot_disk_in_gb":123,"created_at":"2023-11-07T05:31:56Z","vendor_region":"<string>","contract_type":"<string>","type":"vm","vcpu_count":123,"memory_in_gb":123,"storage_details":[{"name":"<string>","size_gb":123,"type":"<string>","storage_class":"<string>","vendor_class":"<string>","vendor_region":"<string>","price_per_gb_month":123,"monthly_cost":123,"hourly_cost":123,"persistent":false}],"storage_price_per_hour":123,"total_price_per_hour":123,"expires_at":"2023-11-07T05:31:56Z","deployment_type":"<string>","node_count":123,"gpus_per_node":123,"infiniband_bandwidth_gbps":123,"cluster_storage_gb":123}],"total_count":123,"filters_applied":{}}"#;
        let answer = decode_offers_answer(body).unwrap();
        assert_eq!(answer.total_count, Some(123));
        let offer = &answer.offers[0];
        assert_eq!(offer.kind, Some(MachineKind::Vm));
        assert_eq!(offer.total_hourly(), Some(123.0));
        assert_eq!(offer.storage_details[0].persistent, Some(false));
        assert!(offer.extra.is_empty(), "{:?}", offer.extra);
        assert!(offer.is_cluster());
    }

    #[test]
    fn prices_fall_back_on_each_other() {
        let offer = Offer {
            gpu_count: Some(4),
            gpu_price_per_hour: Some(2.0),
            storage_price_per_hour: Some(0.5),
            ..Default::default()
        };
        assert_eq!(offer.total_hourly(), Some(8.5));
        let offer = Offer {
            gpu_count: Some(4),
            total_price_per_hour: Some(10.0),
            ..Default::default()
        };
        assert_eq!(offer.price_per_gpu_hour(), Some(2.5));
    }

    #[test]
    fn nulls_and_unknown_fields_are_tolerated() {
        let answer = decode_offers_answer(
            r#"{"offers":[{"offer_id":"a","storage_details":null,"vcpu_count":null,"contract_type":"reserved","new":1}],"total_count":null}"#,
        )
        .unwrap();
        let offer = &answer.offers[0];
        assert_eq!(
            offer.contract_type,
            Some(ContractType::Other("reserved".into()))
        );
        assert_eq!(offer.extra["new"], 1);
        assert!(decode_offers_answer("[]").unwrap().offers.is_empty());
        let kept = serde_json::to_string(offer).unwrap();
        assert_eq!(&decode_offer(&kept).unwrap(), offer);
        assert!(decode_offer(r#"{"offer_id":7}"#).is_err());
        assert!(decode_offer("[").is_err());
        assert!(decode_offers_answer("\"x\"").is_err());
    }

    #[test]
    fn the_answer_is_read_by_its_first_character() {
        let listed = decode_offers_answer(" \n[{\"offer_id\":\"a\"}]").unwrap();
        assert_eq!(listed.offers[0].offer_id, "a");
        assert_eq!(listed.total_count, None);
        for (body, kind) in [("null", "null"), (" 7", "a number"), ("\"x\"", "a string")] {
            let message = decode_offers_answer(body).unwrap_err().to_string();
            assert_eq!(
                message,
                format!("expected an object with offers, got {kind}")
            );
        }
        // Text that is not JSON says where it stops being JSON.
        let broken = decode_offers_answer("{\"offers\": [")
            .unwrap_err()
            .to_string();
        assert!(broken.contains("line 1 column 12"), "{broken}");
        let wrong = decode_offers_answer(r#"{"offers":[{"offer_id":"a","gpu_count":"two"}]}"#)
            .unwrap_err()
            .to_string();
        assert!(wrong.contains(r#"invalid type: string "two""#), "{wrong}");
    }
}
