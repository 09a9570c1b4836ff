//! `GET /resources` and `GET /resources/{resource_id}`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::time::format_duration_secs;

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

/// Decodes `GET /resources`: a bare array, or an object holding it under
/// `resources` (or `items`, or `data`). Decoding each shape directly gives
/// the real field error instead of serde's "did not match any variant".
///
/// Straight from the text, as every `ResourceSummary` the console reads
/// is: a second way (`from_value`) would put a second decoder of every
/// field into each page that reads one (measured: 5.5-5.9 KB gzip on the
/// status, resources and resource pages). The spend meter reads the same
/// shapes in `spend::decode_spend_items`, with a lighter error for a
/// body of another kind: making this one generic and sharing it cost the
/// main module, and so every page, 0.9 KB gzip.
pub fn decode_resources(body: &str) -> Result<Vec<ResourceSummary>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wrapped {
        resources: Option<Vec<ResourceSummary>>,
        items: Option<Vec<ResourceSummary>>,
        data: Option<Vec<ResourceSummary>>,
    }
    let body_start = body.trim_start();
    if body_start.starts_with('[') {
        serde_json::from_str(body)
    } else if body_start.starts_with('{') {
        let Wrapped {
            resources,
            items,
            data,
        } = serde_json::from_str(body)?;
        Ok(resources.or(items).or(data).unwrap_or_default())
    } else {
        Err(not_a_list(body))
    }
}

/// The error for a body that is JSON of another kind, or not JSON.
fn not_a_list(body: &str) -> serde_json::Error {
    use serde::de::Error as _;
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(other) => {
            serde_json::Error::custom(format!("expected a list, got {}", crate::json_kind(&other)))
        }
        Err(err) => err,
    }
}

/// The service re-reads a resource from its vendor when its copy is older
/// than this; `force_refresh=true` skips the wait.
pub const SYNC_COOLDOWN_SECS: i64 = 30;

/// A resource with the answer it came in, pretty-printed: the raw view
/// shows every field, those this console does not know too.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceAnswer {
    pub resource: ResourceSummary,
    pub raw: String,
}

/// Decodes `GET /resources/{id}` and keeps its text.
pub fn decode_resource_answer(body: &str) -> Result<ResourceAnswer, serde_json::Error> {
    // Read twice from the text rather than once into a `Value` and then
    // from it: `from_value` would add a second decoder of every field.
    let resource = serde_json::from_str(body)?;
    let value: serde_json::Value = serde_json::from_str(body)?;
    let raw = serde_json::to_string_pretty(&value)?;
    Ok(ResourceAnswer { resource, raw })
}

/// The spec as rows of a key/value table: text as it is, other values as
/// compact JSON.
pub fn spec_rows(spec: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    spec.iter()
        .map(|(key, value)| {
            let shown = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (key.clone(), shown)
        })
        .collect()
}

/// "synced 12 s ago"; a time ahead of this browser's clock reads "just now".
pub fn sync_age(last_synced_at: Option<&ApiTime>, now: DateTime<Utc>) -> String {
    match last_synced_at {
        None => "never synced".to_owned(),
        Some(at) => match at.parsed() {
            None => format!("synced at {at}"),
            Some(at) => {
                let age = (now - at).num_seconds();
                if age < 1 {
                    "synced just now".to_owned()
                } else {
                    format!("synced {} ago", format_duration_secs(age))
                }
            }
        },
    }
}

/// "ends in 29 d 23 h", "ended 2 h 5 min ago", or that no end is set.
pub fn validity_countdown(valid_to: Option<&ApiTime>, now: DateTime<Utc>) -> String {
    match valid_to {
        None => "no end date: runs until it is deleted".to_owned(),
        Some(at) => match at.parsed() {
            None => format!("ends {at}"),
            Some(at) => {
                let left = (at - now).num_seconds();
                if left > 0 {
                    format!("ends in {}", format_duration_secs(left))
                } else {
                    format!("ended {} ago", format_duration_secs(-left))
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn the_raw_answer_keeps_unknown_fields() {
        let body = r#"{"resource_id":"x","resource_type":"vm","vendor":"v","vendor_region":"r",
            "status":"running","created_at":"2026-01-01T00:00:00Z","spec":null,"future_field":{"a":1}}"#;
        let answer = decode_resource_answer(body).unwrap();
        assert!(
            answer.raw.contains("\"future_field\": {\n"),
            "{}",
            answer.raw
        );
        assert!(answer.resource.extra.contains_key("future_field"));
        assert!(answer.resource.spec.is_empty());
        assert!(decode_resource_answer("[]").is_err());
        assert!(decode_resource_answer("{").is_err());
    }

    #[test]
    fn a_list_is_read_bare_or_under_its_key() {
        let item = r#"{"resource_id":"x","resource_type":"vm","vendor":"v","vendor_region":"r","status":"running","created_at":"2026-01-01T00:00:00Z"}"#;
        let ids = |body: &str| -> Vec<String> {
            decode_resources(body)
                .unwrap()
                .into_iter()
                .map(|r| r.resource_id)
                .collect()
        };
        assert_eq!(ids(&format!(" [{item}]")), ["x"]);
        assert_eq!(
            ids(&format!("{{\"total\":1,\"resources\":[{item}]}}")),
            ["x"]
        );
        assert_eq!(ids(&format!("{{\"items\":[{item},{item}]}}")), ["x", "x"]);
        assert!(ids(r#"{"resources":null}"#).is_empty());
        assert!(ids(r#"{"other":[1]}"#).is_empty());
        // The field error inside a wrapped list is the real one.
        let err = decode_resources(r#"{"resources":[{"resource_id":7}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("invalid type: integer `7`"),
            "{err}"
        );
        let err = decode_resources("\"x\"").unwrap_err();
        assert_eq!(err.to_string(), "expected a list, got a string");
        assert!(decode_resources("{").is_err());
    }

    #[test]
    fn spec_rows_show_text_plainly_and_the_rest_as_json() {
        let spec =
            serde_json::json!({"gpu_type": "H100", "gpu_count": 8, "ids": ["a", "b"], "x": null})
                .as_object()
                .cloned()
                .unwrap();
        assert_eq!(
            spec_rows(&spec),
            vec![
                ("gpu_count".to_owned(), "8".to_owned()),
                ("gpu_type".to_owned(), "H100".to_owned()),
                ("ids".to_owned(), r#"["a","b"]"#.to_owned()),
                ("x".to_owned(), "null".to_owned()),
            ]
        );
    }

    #[test]
    fn sync_age_and_countdown_read_as_durations() {
        let now = parse_timestamp("2026-01-01T00:00:30Z").unwrap();
        let at = |raw: &str| ApiTime(raw.to_owned());
        assert_eq!(
            sync_age(Some(&at("2026-01-01T00:00:18Z")), now),
            "synced 12 s ago"
        );
        assert_eq!(
            sync_age(Some(&at("2026-01-01T00:00:40Z")), now),
            "synced just now"
        );
        assert_eq!(sync_age(None, now), "never synced");
        assert_eq!(sync_age(Some(&at("soon")), now), "synced at soon");
        assert_eq!(
            validity_countdown(Some(&at("2026-01-01T01:00:30Z")), now),
            "ends in 1 h 0 min"
        );
        assert_eq!(
            validity_countdown(Some(&at("2026-01-01T00:00:00Z")), now),
            "ended 30 s ago"
        );
        assert!(validity_countdown(None, now).starts_with("no end date"));
    }
}
